// The lineage page (#/lineage/<selector>) and the node page (#/node/<id>): the graph of sources →
// staging → vault → marts laid out with dagre and drawn as one SVG, and the data dictionary of a node.
// Large projects stay quick: the server sends at most a few hundred nodes (the selection, or the
// neighbourhood of a node), the layout runs once and the SVG is built off-screen and inserted once.
import { getJson, h } from '../api.js';

const SVG = 'http://www.w3.org/2000/svg';
// Module state survives re-renders (the router re-imports the same module): the controls keep their values.
const state = { search: '', up: 2, down: 2, tests: false };
let dagreLoading;

function loadDagre() {
  if (window.dagre) return Promise.resolve();
  dagreLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/dagre.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('could not load /vendor/dagre.js'));
    document.head.append(script);
  });
  return dagreLoading;
}

export async function render(container, page, args) {
  const id = args.join('/');
  if (page === 'node') return renderNode(container, id);
  return renderLineage(container, id);
}

function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** CSS class of a kind: the satellite variants share the satellite colour. */
function kindClass(kind) {
  return `kind-${kind.endsWith('satellite') ? 'satellite' : kind}`;
}

/** A selector naming one node gets the hops around it; anything richer is used as written. */
function effectiveSelector(selector) {
  const text = selector.trim();
  if (!text || /[\s,+@]/.test(text)) return text;
  const up = state.up > 0 ? `${state.up}+` : '';
  const down = state.down > 0 ? `+${state.down}` : '';
  return `${up}${text}${down}`;
}

async function renderLineage(container, selector) {
  const number = (name, value) =>
    h('input', { type: 'number', name, min: 0, max: 20, value, class: 'lineage-hops', 'aria-label': name });
  const selectBox = h('input', {
    id: 'lineage-select',
    name: 'select',
    value: selector,
    placeholder: 'selector: hub_earthquake, +mart+, tag:x, path:models/vault',
    size: 40,
  });
  const searchBox = h('input', {
    id: 'lineage-search',
    name: 'search',
    value: state.search,
    placeholder: 'search name, tag, path',
    type: 'search',
  });
  const up = number('up', state.up);
  const down = number('down', state.down);
  const tests = h('input', { type: 'checkbox', name: 'tests', checked: state.tests });
  const info = h('p', { class: 'muted', id: 'lineage-info' });
  const canvas = h('div', { class: 'lineage-canvas', id: 'lineage-canvas' });
  const form = h(
    'form',
    { class: 'lineage-controls' },
    selectBox,
    h('label', {}, ' up ', up),
    h('label', {}, ' down ', down),
    searchBox,
    h('label', {}, tests, ' tests'),
    h('button', { type: 'submit' }, 'Show'),
  );
  container.replaceChildren(
    h('div', { class: 'lineage' }, h('h1', {}, 'Lineage'), form, legend(), info, canvas),
  );

  let current = 0;
  const draw = async () => {
    const ticket = ++current;
    const started = performance.now();
    const params = new URLSearchParams();
    const select = effectiveSelector(selectBox.value);
    if (select) params.set('select', select);
    if (state.search) params.set('search', state.search);
    if (state.tests) params.set('tests', '1');
    info.textContent = 'Loading…';
    let view;
    try {
      [view] = await Promise.all([getJson(`/ui/api/graph?${params}`), loadDagre()]);
    } catch (error) {
      if (ticket !== current) return;
      info.replaceChildren(h('span', { class: 'error' }, error.message));
      canvas.replaceChildren();
      return;
    }
    if (ticket !== current) return;
    const fetched = performance.now();
    const drawing = drawGraph(view, selectBox.value.trim());
    canvas.replaceChildren(drawing);
    const ms = Math.round(performance.now() - started);
    drawing.dataset.renderMs = String(ms);
    const parts = [`${view.nodes.length} node(s), ${view.edges.length} edge(s)`];
    if (view.omitted > 0)
      parts.push(
        `${view.omitted} more matched but are left out: narrow with a selector (a node name with hops, +name+, tag:…, path:…) or a search`,
      );
    parts.push(`${ms} ms (layout and drawing ${Math.round(performance.now() - fetched)} ms)`);
    info.replaceChildren(
      parts.join(' · '),
      ...view.warnings.map((w) => h('span', { class: 'error' }, ` ${w}`)),
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.search = searchBox.value.trim();
    state.up = Number(up.value) || 0;
    state.down = Number(down.value) || 0;
    state.tests = tests.checked;
    const wanted = selectBox.value.trim();
    const hash = wanted ? `#/lineage/${encodeURIComponent(wanted)}` : '#/lineage';
    // A new selector goes into the address (the router renders again); otherwise redraw in place.
    if (decodeURIComponent(location.hash) !== decodeURIComponent(hash)) location.hash = hash;
    else draw();
  });
  canvas.addEventListener('click', (event) => {
    const node = event.target.closest?.('g.lineage-node');
    // A dashboard opens itself; every other node its data dictionary.
    if (node?.dataset.id.startsWith('dashboard.'))
      location.hash = `#/dashboard/${encodeURIComponent(node.dataset.id.slice('dashboard.'.length))}`;
    else if (node) location.hash = `#/node/${encodeURIComponent(node.dataset.id)}`;
  });
  await draw();
}

function legend() {
  const kinds = [
    'source',
    'seed',
    'staging',
    'hub',
    'link',
    'satellite',
    'pit',
    'model',
    'mart',
    'dashboard',
    'test',
  ];
  return h(
    'p',
    { class: 'lineage-legend' },
    kinds.map((kind) => h('span', { class: `lineage-chip ${kindClass(kind)}` }, kind)),
  );
}

// dagre routes an edge spanning k ranks through k-1 invisible nodes, and its ordering phase grows with
// them: a few hundred nodes with long edges (a model reading one far upstream) take seconds. Past this
// budget of invisible nodes, the longest edges are left out of the layout and drawn as plain curves.
const ROUTING_BUDGET = 1500;

/** The view's edges split into those dagre lays out and those drawn afterwards (longest first out). */
function splitLongEdges(view) {
  const rank = new Map(view.nodes.map((n) => [n.id, 0]));
  const incoming = new Map(view.nodes.map((n) => [n.id, []]));
  const outgoing = new Map(view.nodes.map((n) => [n.id, []]));
  for (const [from, to] of view.edges) {
    incoming.get(to)?.push(from);
    outgoing.get(from)?.push(to);
  }
  // Longest-path ranks (Kahn's order); the graph is acyclic, as the project loader guarantees.
  const pending = new Map(view.nodes.map((n) => [n.id, incoming.get(n.id).length]));
  const queue = view.nodes.filter((n) => pending.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const next of outgoing.get(id)) {
      rank.set(next, Math.max(rank.get(next), rank.get(id) + 1));
      pending.set(next, pending.get(next) - 1);
      if (pending.get(next) === 0) queue.push(next);
    }
  }
  const spans = view.edges.map((edge) => ({
    edge,
    span: Math.max(1, rank.get(edge[1]) - rank.get(edge[0])),
  }));
  const total = spans.reduce((sum, e) => sum + e.span - 1, 0);
  if (total <= ROUTING_BUDGET) return { routed: view.edges, unrouted: [] };
  spans.sort((a, b) => a.span - b.span);
  const routed = [];
  const unrouted = [];
  let used = 0;
  for (const { edge, span } of spans) {
    if (span === 1 || used + span - 1 <= ROUTING_BUDGET) {
      routed.push(edge);
      used += span - 1;
    } else unrouted.push(edge);
  }
  return { routed, unrouted };
}

/** One dagre layout and one SVG, built detached and returned for a single insertion. */
function drawGraph(view, centre) {
  if (view.nodes.length === 0)
    return h('p', { class: 'muted' }, 'No node matches: try another selector or search.');
  const g = new window.dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 56, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of view.nodes)
    g.setNode(node.id, { width: Math.max(70, node.name.length * 7 + 24), height: 26 });
  const { routed, unrouted } = splitLongEdges(view);
  for (const [from, to] of routed) g.setEdge(from, to);
  window.dagre.layout(g);
  const { width, height } = g.graph();
  const root = svg('svg', {
    class: 'lineage-svg',
    width: Math.ceil(width),
    height: Math.ceil(height),
    viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    role: 'img',
    'aria-label': `lineage of ${view.nodes.length} nodes`,
  });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'lineage-arrow',
    viewBox: '0 0 8 8',
    refX: 8,
    refY: 4,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto',
  });
  marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'lineage-arrowhead' }));
  defs.append(marker);
  root.append(defs);
  const edges = svg('g', { class: 'lineage-edges' });
  for (const edge of g.edges()) {
    const points = g.edge(edge).points ?? [];
    if (points.length === 0) continue;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    edges.append(svg('path', { d, class: 'lineage-edge', 'marker-end': 'url(#lineage-arrow)' }));
  }
  // Edges left out of the layout: a plain curve between the two boxes, drawn behind them.
  for (const [from, to] of unrouted) {
    const a = g.node(from);
    const b = g.node(to);
    const x1 = a.x + a.width / 2;
    const x2 = b.x - b.width / 2;
    const bend = Math.max(40, Math.abs(x2 - x1) / 3);
    const d = `M${x1.toFixed(1)},${a.y.toFixed(1)} C${(x1 + bend).toFixed(1)},${a.y.toFixed(1)} ${(x2 - bend).toFixed(1)},${b.y.toFixed(1)} ${x2.toFixed(1)},${b.y.toFixed(1)}`;
    edges.append(svg('path', { d, class: 'lineage-edge long', 'marker-end': 'url(#lineage-arrow)' }));
  }
  root.append(edges);
  const nodes = svg('g', { class: 'lineage-nodes' });
  for (const node of view.nodes) {
    const box = g.node(node.id);
    const isCentre = centre !== '' && (node.name === centre || node.id === centre);
    const group = svg('g', {
      class: `lineage-node ${kindClass(node.kind)}${isCentre ? ' centre' : ''}`,
      transform: `translate(${(box.x - box.width / 2).toFixed(1)},${(box.y - box.height / 2).toFixed(1)})`,
      'data-id': node.id,
      'data-name': node.name,
      tabindex: 0,
    });
    const title = svg('title');
    title.textContent = `${node.kind} · ${node.id}${node.tags.length ? ` · tags: ${node.tags.join(', ')}` : ''}`;
    const label = svg('text', { x: box.width / 2, y: 17, 'text-anchor': 'middle' });
    label.textContent = node.name;
    group.append(title, svg('rect', { width: box.width, height: box.height, rx: 5 }), label);
    nodes.append(group);
  }
  root.append(nodes);
  return root;
}

// --- the node page -------------------------------------------------------------------------------

function table(rows, columns, attributes = {}) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, 'none');
  return h(
    'table',
    attributes,
    h(
      'tr',
      {},
      columns.map(([label]) => h('th', {}, label)),
    ),
    rows.map((row) =>
      h(
        'tr',
        {},
        columns.map(([, cell]) => h('td', {}, cell(row) ?? '—')),
      ),
    ),
  );
}

function rowsTable(rows) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, 'none');
  const names = Object.keys(rows[0]);
  return table(
    rows,
    names.map((name) => [
      name,
      (row) =>
        row[name] === null || row[name] === undefined
          ? null
          : typeof row[name] === 'object'
            ? JSON.stringify(row[name])
            : String(row[name]),
    ]),
    { class: 'node-rows' },
  );
}

const nodeLink = (node) =>
  h(
    'a',
    { href: `#/node/${encodeURIComponent(node.id)}`, class: `node-link ${kindClass(node.kind)}` },
    node.name,
  );

function lineageSelector(node) {
  if (node.resource_type === 'source') return `source:${node.name}`;
  return node.name;
}

async function renderNode(container, id) {
  const node = await getJson(`/ui/api/nodes/${encodeURIComponent(id)}`);
  const build = node.last_build;
  const section = (title, ...children) =>
    h('section', { class: 'node-section' }, h('h2', {}, title), ...children);
  const facts = h(
    'table',
    { class: 'node-facts', id: 'node-facts' },
    h('tr', {}, h('th', {}, 'kind'), h('td', {}, `${node.kind} (${node.resource_type})`)),
    node.relation ? h('tr', {}, h('th', {}, 'relation'), h('td', {}, h('code', {}, node.relation))) : null,
    node.materialized ? h('tr', {}, h('th', {}, 'materialized'), h('td', {}, node.materialized)) : null,
    h('tr', {}, h('th', {}, 'file'), h('td', {}, h('code', {}, node.path))),
    node.tags.length ? h('tr', {}, h('th', {}, 'tags'), h('td', {}, node.tags.join(', '))) : null,
    h('tr', {}, h('th', {}, 'row count'), h('td', { id: 'node-row-count' }, node.row_count ?? '—')),
    h(
      'tr',
      {},
      h('th', {}, 'last build'),
      h(
        'td',
        {},
        build
          ? [
              h('span', { class: `status-${build.status}` }, build.status),
              ` ${build.started_at} · ${build.duration_ms} ms`,
              build.rows_affected !== null ? ` · ${build.rows_affected} rows` : '',
              build.message
                ? h(
                    'div',
                    { class: build.status === 'error' || build.status === 'fail' ? 'error' : 'muted' },
                    build.message,
                  )
                : null,
            ]
          : 'never built',
      ),
    ),
  );
  const parts = [
    h('h1', {}, node.name, ' ', h('span', { class: `lineage-chip ${kindClass(node.kind)}` }, node.kind)),
    h(
      'p',
      {},
      h('a', { href: `#/lineage/${encodeURIComponent(lineageSelector(node))}` }, 'Lineage around this node'),
      h('span', { class: 'muted' }, ` · ${node.id}`),
    ),
    node.description ? h('p', { class: 'node-description' }, node.description) : null,
    facts,
    section(
      'Columns',
      table(
        node.columns,
        [
          ['column', (c) => h('code', {}, c.name)],
          ['type', (c) => c.type],
          [
            'description',
            (c) => [
              c.description ?? '',
              c.in_warehouse === false ? h('span', { class: 'error' }, ' (not in the warehouse)') : null,
            ],
          ],
        ],
        { id: 'node-columns' },
      ),
    ),
    h(
      'div',
      { class: 'node-neighbours' },
      section(
        'Upstream',
        h(
          'ul',
          { id: 'node-upstream' },
          node.upstream.map((n) => h('li', {}, nodeLink(n), h('span', { class: 'muted' }, ` ${n.kind}`))),
        ),
      ),
      section(
        'Downstream',
        h(
          'ul',
          { id: 'node-downstream' },
          node.downstream.map((n) => h('li', {}, nodeLink(n), h('span', { class: 'muted' }, ` ${n.kind}`))),
        ),
      ),
    ),
    section(
      'Tests',
      table(
        node.tests,
        [
          ['test', (t) => nodeLink(t)],
          ['column', (t) => t.column],
          ['severity', (t) => t.severity],
          [
            'last result',
            (t) => (t.last ? h('span', { class: `status-${t.last.status}` }, t.last.status) : 'not run'),
          ],
          ['failing', (t) => t.last?.failures ?? null],
          ['when', (t) => t.last?.started_at ?? null],
          [
            'failing rows',
            (t) =>
              t.failing_rows?.length
                ? h(
                    'details',
                    {},
                    h('summary', {}, `${t.failing_rows.length} row(s)`),
                    rowsTable(t.failing_rows),
                  )
                : null,
          ],
        ],
        { id: 'node-tests' },
      ),
    ),
  ];
  if (node.vault) {
    const v = node.vault;
    const byName = new Map(node.upstream.map((n) => [n.name, n]));
    const named = (name) => (byName.has(name) ? nodeLink(byName.get(name)) : name);
    parts.push(
      section(
        `Data Vault: ${v.kind}`,
        h(
          'table',
          { id: 'node-vault' },
          v.hash_key ? h('tr', {}, h('th', {}, 'hash key'), h('td', {}, h('code', {}, v.hash_key))) : null,
          v.business_key.length
            ? h('tr', {}, h('th', {}, 'business key'), h('td', {}, h('code', {}, v.business_key.join(', '))))
            : null,
          v.parents.length
            ? h(
                'tr',
                {},
                h('th', {}, 'parents'),
                h(
                  'td',
                  {},
                  v.parents.map((p) => h('div', {}, named(p.entity), ' via ', h('code', {}, p.hash_key))),
                ),
              )
            : null,
          h(
            'tr',
            {},
            h('th', {}, 'loaded from'),
            h(
              'td',
              {},
              v.sources.map((s) => h('div', {}, named(s))),
            ),
          ),
          v.attributes.length
            ? h('tr', {}, h('th', {}, 'attributes'), h('td', {}, v.attributes.join(', ')))
            : null,
          Object.entries(v.extra).map(([k, value]) =>
            h('tr', {}, h('th', {}, k.replaceAll('_', ' ')), h('td', {}, JSON.stringify(value))),
          ),
          h(
            'tr',
            {},
            h('th', {}, 'hashing'),
            h(
              'td',
              {},
              h('code', {}, v.hashing.expected),
              h(
                'div',
                { class: v.hashing.matches === false ? 'error' : 'muted' },
                v.hashing.recorded === null
                  ? 'not recorded in the warehouse yet'
                  : v.hashing.matches
                    ? 'the warehouse was built with this standard'
                    : `the warehouse was built with another standard: ${v.hashing.recorded}`,
              ),
            ),
          ),
        ),
        h('h3', {}, 'Load log'),
        rowsTable(v.load_log),
      ),
    );
  }
  if (node.load_audit) parts.push(section('Landed objects read', rowsTable(node.load_audit)));
  parts.push(
    section(
      'Compiled SQL',
      node.compiled_sql
        ? [
            h(
              'p',
              { class: 'muted' },
              node.compiled_from === 'rendered'
                ? 'rendered now (as vaultline compile would)'
                : `from ${node.compiled_from}`,
            ),
            h('pre', { id: 'node-sql' }, node.compiled_sql),
          ]
        : h(
            'p',
            { class: node.compile_error ? 'error' : 'muted' },
            node.compile_error ?? 'none (sources and seeds are not compiled)',
          ),
      node.raw_sql ? h('details', {}, h('summary', {}, 'source SQL'), h('pre', {}, node.raw_sql)) : null,
    ),
  );
  container.replaceChildren(h('div', { class: 'node-page' }, ...parts));
}
