// Provenance: #/provenance/<hub>/<hk> — a hub key back to the landed payloads and the records inside
// them: the hub row, each satellite's versions (the one in effect highlighted), links, PIT rows, and
// per landed object its key, sha256, request and the record (pretty-printed).
import { getJson, h } from '../api.js';

const text = (value) =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

export async function render(container, _page, args) {
  const [hub, hk] = args;
  if (!hub || !hk) {
    container.replaceChildren(
      h('h1', {}, 'Provenance'),
      h('p', { class: 'muted' }, 'Open a hub key: #/provenance/<hub>/<hash key> (from a vault or mart row).'),
    );
    return;
  }
  let trace;
  try {
    trace = await getJson(`/ui/api/provenance/${encodeURIComponent(hub)}/${encodeURIComponent(hk)}`);
  } catch (error) {
    container.replaceChildren(
      h('h1', {}, 'Provenance'),
      h('p', { class: 'error', id: 'provenance-error' }, error.message),
    );
    return;
  }
  const landedIndex = new Map(trace.landed.map((object, i) => [object.key, i]));
  const landedLink = (key) => {
    const index = landedIndex.get(key);
    if (index === undefined) return h('code', {}, text(key));
    return h(
      'a',
      {
        href: `#/provenance/${encodeURIComponent(hub)}/${encodeURIComponent(hk)}`,
        class: 'provenance-landed-link',
        onclick: (event) => {
          event.preventDefault();
          document.getElementById(`landed-${index}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        },
      },
      key,
    );
  };
  const keyValues = trace.hub.business_key_columns.map((c) => `${c} = ${text(trace.hub.row[c])}`).join(', ');
  container.replaceChildren(
    h(
      'div',
      { class: 'provenance' },
      h('h1', {}, `${trace.hub.name}: `, h('span', { id: 'provenance-business-key' }, keyValues)),
      h('p', { class: 'muted' }, `${trace.hub.hash_key_column} = `, h('code', {}, hk)),
      rowTable('provenance-hub', trace.hub.row, landedLink),
      trace.satellites.map((sat) => satelliteSection(sat, landedLink)),
      trace.links.length ? linksSection(trace.links, hub) : null,
      trace.pits.map((pit) => pitSection(pit)),
      h('h2', {}, 'Landed objects'),
      trace.landed.length === 0
        ? h('p', { class: 'muted' }, 'No landed object is named by these rows.')
        : null,
      trace.landed.map((object, i) => landedSection(object, i)),
    ),
  );
}

function rowTable(id, row, landedLink) {
  return h(
    'table',
    { id, class: 'provenance-row' },
    Object.entries(row).map(([column, value]) =>
      h(
        'tr',
        {},
        h('th', {}, column),
        h('td', {}, column === 'record_source' ? landedLink(value) : text(value)),
      ),
    ),
  );
}

function satelliteSection(sat, landedLink) {
  const attributes = [...new Set(sat.versions.flatMap((v) => Object.keys(v.attributes)))];
  return h(
    'section',
    { class: 'provenance-satellite', 'data-satellite': sat.name },
    h(
      'h2',
      {},
      `${sat.name} `,
      h('span', { class: 'muted' }, `${sat.versions.length} version(s); in effect: ${sat.in_effect_rule}`),
    ),
    h(
      'div',
      { class: 'provenance-scroll' },
      h(
        'table',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          h('th', {}, 'load_ts'),
          h('th', {}, 'record source'),
          h('th', {}, 'hashdiff'),
          sat.versions.some((v) => 'effective_from' in v) ? h('th', {}, 'effective_from') : null,
          attributes.map((a) => h('th', {}, a)),
        ),
        sat.versions.map((v) =>
          h(
            'tr',
            { class: v.in_effect ? 'provenance-in-effect' : '' },
            h('td', {}, v.in_effect ? 'in effect' : ''),
            h('td', {}, text(v.load_ts)),
            h('td', {}, landedLink(v.record_source)),
            h('td', {}, h('code', {}, text(v.hashdiff).slice(0, 12))),
            'effective_from' in v ? h('td', {}, text(v.effective_from)) : null,
            attributes.map((a) => h('td', {}, text(v.attributes[a]))),
          ),
        ),
      ),
    ),
  );
}

function linksSection(links) {
  return h(
    'section',
    { class: 'provenance-links' },
    h('h2', {}, 'Links'),
    links.map((link) =>
      h(
        'div',
        {},
        h('h3', {}, `${link.name} `, h('span', { class: 'muted' }, `${link.rows.length} row(s)`)),
        h(
          'ul',
          {},
          link.rows.map((row) =>
            h(
              'li',
              {},
              row.hubs.map((ref) => [
                h(
                  'a',
                  { href: `#/provenance/${encodeURIComponent(ref.hub)}/${encodeURIComponent(ref.hk)}` },
                  `${ref.hub}`,
                ),
                ' ',
              ]),
              h('span', { class: 'muted' }, ` loaded ${text(row.load_ts)}`),
            ),
          ),
        ),
      ),
    ),
  );
}

function pitSection(pit) {
  const columns = pit.rows.length ? Object.keys(pit.rows[0]) : [];
  return h(
    'section',
    { class: 'provenance-pit' },
    h('h2', {}, `${pit.name} `, h('span', { class: 'muted' }, `${pit.rows.length} snapshot(s)`)),
    h(
      'div',
      { class: 'provenance-scroll' },
      h(
        'table',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', {}, c)),
        ),
        pit.rows.map((row) =>
          h(
            'tr',
            {},
            columns.map((c) => h('td', {}, text(row[c]))),
          ),
        ),
      ),
    ),
  );
}

function landedSection(object, index) {
  return h(
    'section',
    { class: 'provenance-object', id: `landed-${index}` },
    h('h3', {}, h('code', { class: 'provenance-key' }, object.key)),
    h('p', { class: 'muted' }, `used by ${object.used_by.join(', ')}`),
    object.error ? h('p', { class: 'error' }, object.error) : null,
    object.sha256
      ? h(
          'table',
          { class: 'provenance-row' },
          h('tr', {}, h('th', {}, 'source'), h('td', {}, text(object.source))),
          h('tr', {}, h('th', {}, 'sha256'), h('td', {}, h('code', {}, object.sha256))),
          h('tr', {}, h('th', {}, 'bytes'), h('td', {}, text(object.bytes))),
          h('tr', {}, h('th', {}, 'landed'), h('td', {}, text(object.load_ts))),
          h(
            'tr',
            {},
            h('th', {}, 'request'),
            h(
              'td',
              {},
              h('code', {}, `${object.request.method} ${object.request.url}`),
              ' ',
              text(object.request.params),
            ),
          ),
          h(
            'tr',
            {},
            h('th', {}, 'status'),
            h('td', {}, `${text(object.status)}${object.transport ? ` (${object.transport})` : ''}`),
          ),
          object.match
            ? h(
                'tr',
                {},
                h('th', {}, 'matched by'),
                h('td', {}, `${object.match.paths.join(', ')} = ${object.match.values.map(text).join(', ')}`),
              )
            : null,
        )
      : null,
    object.record !== undefined
      ? [
          h(
            'p',
            {},
            `Record ${object.record_index} of the payload${object.other_matches ? ` (also records ${object.other_matches.join(', ')})` : ''}:`,
          ),
          h('pre', { class: 'provenance-record' }, JSON.stringify(object.record, null, 2)),
        ]
      : object.not_found
        ? h('p', { class: 'provenance-not-found' }, object.not_found)
        : null,
  );
}
