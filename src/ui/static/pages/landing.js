// The Landing pages: #/landing (what the landing store holds per source, resource and load date; a
// day's objects under #/landing/<source>/<resource>/<date>; the warehouse's quarantine and rejects)
// and #/object/<key> (one object: its sidecar and the start of its body). Every element comes from h().
import { getJson, h } from '../api.js';

export async function render(container, page, args) {
  if (page === 'object') return renderObject(container, args.join('/'));
  return renderLanding(container, args);
}

// ---- #/landing ----------------------------------------------------------------------------------

async function renderLanding(container, args) {
  const [source, resource, date] = args;
  const [summary, quarantine, rejects] = await Promise.all([
    getJson('/ui/api/landing/summary'),
    getJson('/ui/api/landing/quarantine'),
    getJson('/ui/api/landing/rejects?limit=200'),
  ]);
  const day = h('section', { class: 'landing-day', id: 'landing-day' });
  const bySource = new Map();
  for (const r of summary.resources) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);

  container.replaceChildren(
    h(
      'div',
      { class: 'landing-page' },
      h('h1', {}, 'Landing'),
      h('p', { class: 'muted' }, summary.location),
      summary.resources.length === 0 ? h('p', { class: 'muted' }, 'Nothing landed yet.') : '',
      h(
        'div',
        { class: 'landing-sources' },
        [...bySource].map(([name, resources]) => sourceView(name, resources, summary.days_per_resource)),
      ),
      day,
      quarantineView(quarantine),
      rejectsView(rejects),
    ),
  );
  if (source && resource && date) await showDay(day, source, resource, date);
}

function sourceView(name, resources, daysShown) {
  return h(
    'section',
    { class: 'landing-source', 'data-source': name },
    h('h2', {}, name),
    resources.map((r) =>
      h(
        'div',
        { class: 'landing-resource', 'data-resource': `${r.source}/${r.resource}` },
        h(
          'h3',
          {},
          r.resource,
          h('span', { class: 'muted' }, ` ${r.objects} object${r.objects === 1 ? '' : 's'}`),
        ),
        h(
          'table',
          { class: 'landing-days' },
          h(
            'tr',
            {},
            ['load date', 'objects', 'records', 'bytes', 'stored'].map((t) => h('th', {}, t)),
          ),
          r.days.map((d) =>
            h(
              'tr',
              { 'data-date': d.date },
              h(
                'td',
                {},
                h(
                  'a',
                  {
                    class: 'landing-day-link',
                    href: `#/landing/${encodeURIComponent(r.source)}/${encodeURIComponent(r.resource)}/${d.date}`,
                  },
                  d.date,
                ),
              ),
              h('td', { class: 'num' }, String(d.objects)),
              h('td', { class: 'num' }, d.records === null ? '—' : String(d.records)),
              h('td', { class: 'num' }, formatBytes(d.bytes)),
              h(
                'td',
                { class: 'num' },
                formatBytes(d.compressed_bytes),
                d.invalid_json > 0 ? h('span', { class: 'error' }, ` ${d.invalid_json} not JSON`) : '',
              ),
            ),
          ),
        ),
        r.older_days > 0
          ? h(
              'p',
              { class: 'muted landing-older' },
              `Showing the newest ${daysShown} days; ${r.older_days} older days (${r.older_objects} objects) are not listed.`,
            )
          : '',
      ),
    ),
  );
}

async function showDay(section, source, resource, date) {
  const query = new URLSearchParams({ source, resource, date });
  const { objects } = await getJson(`/ui/api/landing/objects?${query}`);
  section.replaceChildren(
    h('h2', {}, `${source}/${resource} on ${date}`),
    h(
      'table',
      { id: 'landing-objects' },
      h(
        'tr',
        {},
        ['key', 'loaded', 'status', 'records', 'bytes', 'JSON'].map((t) => h('th', {}, t)),
      ),
      objects.map((o) =>
        h(
          'tr',
          { 'data-key': o.key },
          h(
            'td',
            {},
            h('a', { class: 'landing-object-link', href: objectHref(o.key) }, o.key.split('/').at(-1)),
          ),
          h('td', {}, o.load_ts),
          h('td', {}, o.status === null ? (o.transport ?? '—') : String(o.status)),
          h('td', { class: 'num' }, o.records === null ? '—' : String(o.records)),
          h('td', { class: 'num' }, formatBytes(o.bytes)),
          h(
            'td',
            {},
            o.valid_json
              ? o.no_data
                ? h('span', { class: 'muted' }, `no data: ${o.no_data}`)
                : 'valid'
              : h('span', { class: 'error' }, `invalid: ${o.parse_error ?? ''}`),
          ),
        ),
      ),
    ),
  );
  section.scrollIntoView({ block: 'start' });
}

function quarantineView(answer) {
  return h(
    'section',
    { class: 'landing-quarantine', id: 'landing-quarantine' },
    h('h2', {}, 'Quarantine'),
    !answer.built
      ? h('p', { class: 'muted' }, 'The warehouse is not built yet.')
      : answer.entries.length === 0
        ? h('p', { class: 'muted' }, 'Nothing in quarantine.')
        : h(
            'table',
            {},
            h(
              'tr',
              {},
              ['key', 'source', 'quarantined', 'reason'].map((t) => h('th', {}, t)),
            ),
            answer.entries.map((e) =>
              h(
                'tr',
                { 'data-key': e.key },
                h('td', {}, h('a', { href: objectHref(e.key) }, e.key)),
                h('td', {}, e.source),
                h('td', {}, e.quarantined_at),
                h('td', { class: 'landing-reason' }, e.reason),
              ),
            ),
          ),
    answer.built && answer.entries.length > 0
      ? h('p', { class: 'muted' }, 'Release with `vaultline landing release KEY` once the cause is fixed.')
      : '',
  );
}

function rejectsView(answer) {
  return h(
    'section',
    { class: 'landing-rejects', id: 'landing-rejects' },
    h('h2', {}, 'Rejected values'),
    !answer.built
      ? h('p', { class: 'muted' }, 'The warehouse is not built yet.')
      : answer.rejects.length === 0
        ? h('p', { class: 'muted' }, 'No rejected values.')
        : h(
            'table',
            {},
            h(
              'tr',
              {},
              ['key', 'record', 'column', 'value', 'reason'].map((t) => h('th', {}, t)),
            ),
            answer.rejects.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: objectHref(r.key) }, r.key)),
                h('td', { class: 'num' }, String(r.record_index)),
                h('td', {}, r.column, h('span', { class: 'muted' }, ` ${r.json_path} (${r.data_type})`)),
                h('td', {}, h('code', {}, r.value ?? 'null')),
                h('td', { class: 'landing-reason' }, r.reason),
              ),
            ),
          ),
    answer.built && answer.rejects.length >= answer.limit
      ? h('p', { class: 'muted' }, `The newest ${answer.limit} are shown.`)
      : '',
  );
}

// ---- #/object/<key> -----------------------------------------------------------------------------

async function renderObject(container, key) {
  const [source, resource, dateFolder] = key.split('/');
  const date = (dateFolder ?? '').replace(/^load_date=/, '');
  const back = h(
    'p',
    {},
    h(
      'a',
      {
        href: `#/landing/${encodeURIComponent(source ?? '')}/${encodeURIComponent(resource ?? '')}/${date}`,
      },
      `← ${source}/${resource} on ${date}`,
    ),
  );
  let answer;
  try {
    answer = await getJson(`/ui/api/landing/object?key=${encodeURIComponent(key)}`);
  } catch (error) {
    container.replaceChildren(
      h(
        'div',
        { class: 'landing-page' },
        back,
        h('p', { class: 'error', id: 'landing-error' }, error.message),
      ),
    );
    return;
  }
  const { meta } = answer;
  const row = (name, value) => [h('dt', {}, name), h('dd', { 'data-field': name }, value)];
  container.replaceChildren(
    h(
      'div',
      { class: 'landing-page landing-object' },
      back,
      h('h1', {}, key.split('/').at(-1)),
      h('p', { class: 'muted' }, key),
      h(
        'dl',
        { class: 'landing-meta' },
        row('source', `${meta.source}.${meta.resource}`),
        row('request', `${meta.request.method} ${meta.request.url}`),
        Object.keys(meta.request.params ?? {}).length > 0
          ? row('params', JSON.stringify(meta.request.params))
          : '',
        row('status', meta.response ? String(meta.response.status) : '—'),
        meta.response && Object.keys(meta.response.headers).length > 0
          ? row(
              'headers',
              h(
                'ul',
                { class: 'landing-headers' },
                Object.entries(meta.response.headers).map(([name, value]) =>
                  h('li', {}, `${name}: ${value}`),
                ),
              ),
            )
          : '',
        row('loaded', meta.load_ts),
        row('sha256', h('code', {}, meta.sha256)),
        row('bytes', `${meta.bytes} (${meta.compressed_bytes} stored)`),
        row('records', meta.record_count === null ? '—' : String(meta.record_count)),
        row(
          'JSON',
          meta.valid_json ? 'valid' : h('span', { class: 'error' }, `invalid: ${meta.parse_error ?? ''}`),
        ),
        meta.no_data ? row('no data', meta.no_data) : '',
        row('connector', `${meta.connector.name} ${meta.connector.version}`),
        meta.transport ? row('transport', meta.transport) : '',
        row('run', meta.run_id),
      ),
      h('h2', {}, 'Body'),
      answer.truncated
        ? h(
            'p',
            { class: 'muted', id: 'landing-truncated' },
            `The first ${formatBytes(answer.preview_bytes)} of ${formatBytes(meta.bytes)} are shown.`,
          )
        : '',
      h('pre', { class: 'landing-body', id: 'landing-body' }, answer.preview),
    ),
  );
}

// ---- words --------------------------------------------------------------------------------------

function objectHref(key) {
  return `#/object/${encodeURIComponent(key)}`;
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
