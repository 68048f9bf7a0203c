/**
 * `--threads 4` builds the same tables as `--threads 1`: independent nodes on connections of their
 * own (temporary tables and views per connection, the incremental staging table, the sources' and
 * seeds' temporary relations) give the rows one connection would. A small graph with every
 * materialization, built twice (the second build replaces, merges and appends), into two warehouses.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../../test/helpers/engines.ts';
import { inValueOrder } from '../../../test/helpers/rows.ts';
import { graphOf, model, seed, selectAll, source } from '../../../test/helpers/run-graph.ts';
import { type TempProject, tempProject } from '../../../test/helpers/run-project.ts';
import type { GraphNode } from '../../project/types.ts';

/** The graph, its seed written into the project's folder (rows differ between the two builds). */
function graphIn(p: TempProject, build: number): GraphNode[] {
  const csv = join(p.dir, 'items.csv');
  const rows = ['1,a,10', '2,b,20', '3,a,30', '4,c,40'];
  if (build === 2) rows.push('5,b,50', '2,b,25');
  writeFileSync(csv, `id,kind,price\n${rows.join('\n')}\n`);
  const items = seed('seed_items', csv, { id: 'INTEGER', price: 'INTEGER' });
  const stg = model('stg_items', "select id, kind, price from {{ ref('seed_items') }}", {
    materialized: 'view',
  });
  const cheap = model('eph_cheap', "select id, kind from {{ ref('stg_items') }} where price < 30", {
    materialized: 'ephemeral',
  });
  const byKind = model(
    'by_kind',
    "select kind, count(*) as n, sum(price) as total from {{ ref('stg_items') }} group by kind",
  );
  const latest = model(
    'latest_price',
    "select id, max(price) as price from {{ ref('stg_items') }} group by id",
    {
      materialized: 'incremental',
      incremental: { strategy: 'merge', uniqueKey: ['id'], onSchemaChange: 'fail' },
    },
  );
  const cheapKinds = model('cheap_kinds', "select distinct kind from {{ ref('eph_cheap') }}");
  const summary = model(
    'summary',
    "select b.kind, b.n, b.total, c.kind is not null as has_cheap from {{ ref('by_kind') }} as b left join {{ ref('cheap_kinds') }} as c on c.kind = b.kind",
  );
  // Landed payloads: an incremental model reads only its new objects (a temporary view of its
  // connection), a view reads them all.
  const events = source('demo', 'events', { recordsPath: '$.events[*]' });
  const eventLog = model('event_log', "select _landing_key, id, kind from {{ source('demo', 'events') }}", {
    materialized: 'incremental',
    incremental: { strategy: 'append', onSchemaChange: 'fail' },
  });
  const eventKinds = model(
    'event_kinds',
    "select kind, count(*) as n from {{ source('demo', 'events') }} group by kind",
    { materialized: 'view' },
  );
  return [items, stg, cheap, byKind, latest, cheapKinds, summary, events, eventLog, eventKinds];
}

/** Payloads landed before each build (the same in both projects). */
async function land(p: TempProject, build: number): Promise<void> {
  const body = (ids: number[]) =>
    JSON.stringify({ events: ids.map((id) => ({ id, kind: id % 2 ? 'odd' : 'even' })) });
  if (build === 1) {
    await p.land('demo', 'events', body([1, 2, 3]), '2026-01-01T00:00:00Z');
    await p.land('demo', 'events', body([4]), '2026-01-02T00:00:00Z');
  } else {
    await p.land('demo', 'events', body([5, 6]), '2026-01-03T00:00:00Z');
  }
}

const RELATIONS = [
  'stg_items',
  'by_kind',
  'latest_price',
  'cheap_kinds',
  'summary',
  'event_log',
  'event_kinds',
];

for (const engine of testEngines()) {
  describe(`${engine.name}: --threads 4 gives the tables --threads 1 gives`, () => {
    const one = tempProject({ engine });
    const four = tempProject({ engine });
    before(async () => {
      await one.ready();
      await four.ready();
    });
    after(async () => {
      await one.cleanup();
      await four.cleanup();
    });

    test('two builds of a small graph with every materialization', async () => {
      for (const build of [1, 2]) {
        for (const [p, threads] of [
          [one, 1],
          [four, 4],
        ] as const) {
          await land(p, build);
          const { result } = await p.run('build', selectAll(graphOf(graphIn(p, build))), { threads });
          assert.equal(
            result.success,
            true,
            `build ${build}, threads ${threads}: ${JSON.stringify(result.results)}`,
          );
        }
        for (const relation of RELATIONS) {
          const serial = inValueOrder(await one.query(`select * from main.${relation}`));
          assert.ok(serial.length > 0, relation);
          assert.deepEqual(
            inValueOrder(await four.query(`select * from main.${relation}`)),
            serial,
            `${relation} after build ${build}`,
          );
        }
      }
    });
  });
}
