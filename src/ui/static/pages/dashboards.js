// Dashboards as code: #/dashboards lists the project's dashboards/*.yml, #/dashboard/<name> shows one.
// One request answers the whole dashboard (every chart, the filters' choices); each chart is drawn with
// ECharts (global `echarts` from /vendor/echarts.js), tables and numbers as plain elements. A chart with
// a drill lists, on click, the hub keys behind the point as links to their provenance.
import { getJson, h } from '../api.js';

let echartsLoading;
function loadEcharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  echartsLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/echarts.js';
    script.onload = () => resolve(window.echarts);
    script.onerror = () => reject(new Error('could not load /vendor/echarts.js'));
    document.head.append(script);
  });
  return echartsLoading;
}

export async function render(container, page, args) {
  if (page === 'dashboard' && args[0]) return renderDashboard(container, args[0]);
  return renderList(container);
}

async function renderList(container) {
  const { dashboards } = await getJson('/ui/api/dashboards');
  container.replaceChildren(
    h('h1', {}, 'Dashboards'),
    dashboards.length === 0
      ? h(
          'p',
          { class: 'muted' },
          'No dashboards: add dashboards/<name>.yml to the project (README: "Writing a dashboard").',
        )
      : h(
          'table',
          { id: 'dashboards', class: 'dash-list' },
          h('tr', {}, h('th', {}, 'dashboard'), h('th', {}, 'charts'), h('th', {}, 'description')),
          dashboards.map((d) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h('a', { href: `#/dashboard/${encodeURIComponent(d.name)}` }, d.title),
                h('div', { class: 'muted' }, d.name),
              ),
              h('td', {}, String(d.charts)),
              h(
                'td',
                {},
                d.description ?? '',
                d.diagnostics.map((problem) => h('div', { class: 'error' }, problem.text)),
              ),
            ),
          ),
        ),
  );
}

async function renderDashboard(container, name) {
  const echarts = await loadEcharts();
  const instances = [];
  let disposed = false;
  let asked = 0;
  const values = {};
  const root = h('div', { class: 'dash', id: 'dashboard', 'data-name': name });
  const header = h('div', { class: 'dash-header' });
  const filterBar = h('form', { class: 'dash-filters', onsubmit: (event) => event.preventDefault() });
  const grid = h('div', { class: 'dash-grid' });
  const drillBox = h('div', { class: 'dash-drill', hidden: true });
  root.append(header, filterBar, drillBox, grid);
  container.replaceChildren(root);

  const resize = new ResizeObserver(() => {
    for (const chart of instances) chart.resize();
  });
  resize.observe(grid);

  const disposeCharts = () => {
    for (const chart of instances.splice(0)) chart.dispose();
  };

  async function load() {
    const ask = ++asked;
    root.dataset.state = 'loading';
    const query = new URLSearchParams(values).toString();
    let answer;
    try {
      answer = await getJson(`/ui/api/dashboards/${encodeURIComponent(name)}${query ? `?${query}` : ''}`);
    } catch (error) {
      if (disposed || ask !== asked) return;
      grid.replaceChildren(h('p', { class: 'error' }, error.message));
      root.dataset.state = 'error';
      return;
    }
    if (disposed || ask !== asked) return;
    header.replaceChildren(
      h('h1', {}, answer.title),
      answer.description ? h('p', { class: 'muted' }, answer.description) : null,
    );
    if (filterBar.childElementCount === 0) renderFilters(answer.filters);
    disposeCharts();
    grid.replaceChildren(...answer.charts.map((chart) => renderChart(chart)));
    root.dataset.cache = answer.cache;
    root.dataset.state = 'loaded';
  }

  function renderFilters(filters) {
    for (const filter of filters) {
      values[filter.name] = filter.value;
      if (filter.type === 'date_range') {
        const [from = '', to = ''] = filter.value.split('..');
        const change = () => {
          values[filter.name] =
            fromInput.value || toInput.value ? `${fromInput.value}..${toInput.value}` : '';
          load();
        };
        const fromInput = h('input', {
          type: 'date',
          name: `${filter.name}-from`,
          value: from,
          onchange: change,
        });
        const toInput = h('input', { type: 'date', name: `${filter.name}-to`, value: to, onchange: change });
        filterBar.append(
          h(
            'label',
            { class: 'dash-filter', 'data-filter': filter.name },
            filter.label,
            ' ',
            fromInput,
            ' – ',
            toInput,
          ),
        );
      } else {
        const select = h(
          'select',
          {
            name: filter.name,
            onchange: () => {
              values[filter.name] = select.value;
              load();
            },
          },
          h('option', { value: '' }, 'all'),
          (filter.options ?? []).map((option) =>
            h('option', { value: option, selected: option === filter.value }, option),
          ),
        );
        filterBar.append(
          h('label', { class: 'dash-filter', 'data-filter': filter.name }, filter.label, ' ', select),
        );
      }
    }
  }

  function renderChart(chart) {
    const card = h('section', {
      class: `dash-chart dash-${chart.type}`,
      'data-chart': chart.name,
      'data-type': chart.type,
    });
    card.append(h('h2', {}, chart.title));
    if (chart.error) {
      card.append(h('p', { class: 'error' }, chart.error));
      card.dataset.state = 'error';
      return card;
    }
    if (chart.capped) card.append(h('p', { class: 'muted' }, `Showing the first ${chart.row_limit} rows.`));
    const rows = chart.rows.map((row) => Object.fromEntries(chart.columns.map((c, i) => [c.name, row[i]])));
    if (chart.type === 'table') {
      card.append(renderTable(chart, rows));
      card.dataset.state = 'rendered';
    } else if (chart.type === 'number') {
      const column = chart.value ?? chart.columns[0]?.name;
      const value = rows[0]?.[column];
      card.append(h('div', { class: 'dash-number-value' }, formatValue(value)));
      card.dataset.state = 'rendered';
    } else if (rows.length === 0) {
      card.append(h('p', { class: 'muted' }, 'No rows.'));
      card.dataset.state = 'rendered';
    } else {
      const canvas = h('div', { class: 'dash-canvas' });
      card.append(canvas);
      if (chart.drill)
        card.append(h('p', { class: 'muted dash-hint' }, 'Click a point to see what it is made of.'));
      // Drawn once the card is in the page (ECharts needs its size).
      queueMicrotask(() => {
        if (disposed) return;
        const instance = echarts.init(canvas);
        instances.push(instance);
        instance.on('finished', () => {
          card.dataset.state = 'rendered';
        });
        instance.setOption(chartOption(chart, rows));
        if (chart.drill) instance.on('click', (params) => drill(chart, rows[params.data?.row]));
      });
    }
    return card;
  }

  async function drill(chart, row) {
    if (!row) return;
    drillBox.hidden = false;
    drillBox.replaceChildren(h('p', { class: 'muted' }, 'Finding the keys behind this point…'));
    try {
      const query = new URLSearchParams({ chart: chart.name, point: JSON.stringify(row) });
      const answer = await getJson(`/ui/api/dashboards/${encodeURIComponent(name)}/drill?${query}`);
      if (disposed) return;
      drillBox.replaceChildren(
        h(
          'div',
          { class: 'dash-drill-head' },
          h(
            'strong',
            {},
            `${chart.title}: ${answer.keys.length}${answer.capped ? '+' : ''} ${answer.hub} key(s)`,
          ),
          ' ',
          h('button', { type: 'button', onclick: () => (drillBox.hidden = true) }, 'close'),
        ),
        h(
          'ul',
          { 'data-hub': answer.hub },
          answer.keys.map((key) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#/provenance/${encodeURIComponent(answer.hub)}/${encodeURIComponent(key)}` },
                h('code', {}, key),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      drillBox.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  }

  await load();
  return {
    dispose() {
      disposed = true;
      resize.disconnect();
      disposeCharts();
    },
  };
}

function renderTable(chart, rows) {
  return h(
    'div',
    { class: 'dash-table-scroll' },
    h(
      'table',
      {},
      h(
        'tr',
        {},
        chart.columns.map((c) => h('th', {}, c.name)),
      ),
      rows.map((row) =>
        h(
          'tr',
          {},
          chart.columns.map((c) => h('td', {}, cell(c.name, row[c.name]))),
        ),
      ),
    ),
  );
}

/**
 * A hash key column (`hk_<name>`, the vault's naming) links each value to its provenance under the hub
 * of the same name (`hub_<name>`): a mart row walks back to the payload it came from.
 */
function cell(column, value) {
  const hub = /^hk_([a-z0-9_]+)$/.exec(column);
  if (hub && typeof value === 'string' && /^[0-9a-f]{32,64}$/.test(value))
    return h('a', { href: `#/provenance/hub_${hub[1]}/${value}`, class: 'dash-provenance' }, value);
  return formatValue(value);
}

function formatValue(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? value.toLocaleString('en')
      : value.toLocaleString('en', { maximumFractionDigits: 3 });
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The ECharts option of a line, bar, area or map chart; each data item keeps its row's index (drill). */
function chartOption(chart, rows) {
  const base = { animationDuration: 300, grid: { left: 56, right: 16, top: 36, bottom: 40 } };
  if (chart.type === 'map') {
    const sizes = rows.map((r) => Number(r[chart.value])).filter(Number.isFinite);
    const [low, high] = [Math.min(...sizes), Math.max(...sizes)];
    const size = (v) => (Number.isFinite(v) && high > low ? 6 + ((v - low) / (high - low)) * 18 : 10);
    return {
      ...base,
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const row = rows[p.data.row];
          return Object.entries(row)
            .slice(0, 8)
            .map(([k, v]) => `${escapeText(k)}: ${escapeText(formatValue(v))}`)
            .join('<br>');
        },
      },
      xAxis: { type: 'value', name: chart.lon, min: -180, max: 180, axisLine: { onZero: false } },
      yAxis: { type: 'value', name: chart.lat, min: -90, max: 90, axisLine: { onZero: false } },
      series: [
        {
          type: 'scatter',
          data: rows.map((r, i) => ({
            value: [r[chart.lon], r[chart.lat]],
            row: i,
            symbolSize: size(Number(r[chart.value])),
          })),
        },
      ],
    };
  }
  const type = chart.type === 'area' ? 'line' : chart.type;
  const extra = chart.type === 'area' ? { areaStyle: {} } : {};
  let categories;
  let series;
  if (chart.series) {
    const y = chart.y[0];
    categories = [...new Set(rows.map((r) => String(r[chart.x])))];
    const names = [...new Set(rows.map((r) => String(r[chart.series])))];
    series = names.map((seriesName) => ({
      name: seriesName,
      type,
      ...extra,
      data: categories.map((category) => {
        const i = rows.findIndex(
          (r) => String(r[chart.x]) === category && String(r[chart.series]) === seriesName,
        );
        return i < 0 ? null : { value: rows[i][y], row: i };
      }),
    }));
  } else {
    categories = rows.map((r) => String(r[chart.x]));
    series = chart.y.map((y) => ({
      name: y,
      type,
      ...extra,
      data: rows.map((r, i) => ({ value: r[y], row: i })),
    }));
  }
  return {
    ...base,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series,
  };
}

// ECharts tooltips are HTML: data shown in them is escaped first.
function escapeText(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
