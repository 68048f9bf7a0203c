import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestEngine, testEngines } from '../../../test/helpers/engines.ts';
import { graphOf, model, seed, selectAll } from '../../../test/helpers/run-graph.ts';
import { tempProject } from '../../../test/helpers/run-project.ts';
import type { ModelNode } from '../../project/types.ts';
import { openWarehouse } from '../warehouse.ts';

const inc = (
  strategy: 'append' | 'merge' | 'delete+insert',
  extra: Partial<NonNullable<ModelNode['incremental']>> = {},
) => ({
  materialized: 'incremental' as const,
  incremental: { strategy, onSchemaChange: 'ignore' as const, ...extra },
});

/** A relation's columns and types as the engine's catalog reports them. */
async function columnTypes(p: ReturnType<typeof tempProject>, schema: string, name: string) {
  const { engine, session } = await openWarehouse(p.config);
  try {
    return (await engine.catalog.columns(session, schema, name)).map((c) => [c.name, c.dataType]);
  } finally {
    await session.close();
  }
}

/** The seed's columns: YAML types where given, sniffed ones otherwise, in each engine's spelling. */
const SEED_TYPES: Record<TestEngine['name'], string[][]> = {
  duckdb: [
    ['id', 'INTEGER'],
    ['kind', 'VARCHAR'],
    ['amount', 'DECIMAL(10,2)'],
    ['day', 'DATE'],
  ],
  postgres: [
    ['id', 'integer'],
    ['kind', 'text'],
    ['amount', 'numeric(10,2)'],
    ['day', 'date'],
  ],
};

for (const engine of testEngines()) {
  describe(`${engine.name}: materializations`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    writeFileSync(
      join(p.dir, 'events.csv'),
      'id,kind,amount,day\n1,a,1.50,2026-01-01\n2,b,2.00,2026-01-01\n3,a,3.25,2026-01-02\n',
    );
    const events = seed('seed_events', join(p.dir, 'events.csv'), { id: 'INTEGER', amount: 'DECIMAL(10,2)' });

    test('seed: CSV to a table with the column types from YAML', async () => {
      const { result } = await p.run('seed', selectAll(graphOf([events])));
      assert.equal(result.results[0]!.status, 'success');
      assert.equal(result.results[0]!.rowsAffected, 3);
      assert.deepEqual(await columnTypes(p, 'main', 'seed_events'), SEED_TYPES[engine.name]);
    });

    test('view and table, and switching a view to a table and back', async () => {
      const v = model(
        'by_kind',
        "select kind, sum(amount) as total from {{ ref('seed_events') }} group by kind",
        { materialized: 'view' },
      );
      let { result } = await p.run('run', selectAll(graphOf([events, v]), [v.uniqueId]));
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      assert.equal(result.results[0]!.rowsAffected, undefined);
      const kind = async () =>
        (await p.query("select table_type from information_schema.tables where table_name = 'by_kind'"))[0]
          ?.table_type;
      assert.equal(await kind(), 'VIEW');
      ({ result } = await p.run(
        'run',
        selectAll(graphOf([events, { ...v, materialized: 'table' }]), [v.uniqueId]),
      ));
      assert.equal(result.results[0]!.rowsAffected, 2);
      assert.equal(await kind(), 'BASE TABLE');
      ({ result } = await p.run('run', selectAll(graphOf([events, v]), [v.uniqueId])));
      assert.equal(await kind(), 'VIEW');
      assert.deepEqual(
        (await p.query('select kind, total from main.by_kind order by kind')).map((r) => [
          r.kind,
          Number(r.total),
        ]),
        [
          ['a', 4.75],
          ['b', 2],
        ],
      );
    });

    test('a model whose SQL fails leaves its previous table, rows and audit untouched', async () => {
      const good = model('kept', "select id, amount from {{ ref('seed_events') }}", { schema: 'marts' });
      let { result } = await p.run('run', selectAll(graphOf([events, good]), [good.uniqueId]));
      assert.equal(result.results[0]!.status, 'success');
      const before = await p.query('select * from marts.kept order by id');
      assert.equal(before.length, 3);
      // A statement that binds and starts writing, then fails at run time (cast of 'x' to INTEGER).
      const broken = {
        ...good,
        rawSql:
          "select id, cast(case when id = 3 then 'x' else '1' end as integer) as amount from {{ ref('seed_events') }}",
      };
      ({ result } = await p.run('run', selectAll(graphOf([events, broken]), [broken.uniqueId])));
      assert.equal(result.results[0]!.status, 'error');
      assert.equal(result.results[0]!.error?.kind, 'conversion', result.results[0]!.message);
      assert.equal(result.success, false);
      assert.deepEqual(await p.query('select * from marts.kept order by id'), before);
      // And a view keeps its previous definition when its new SQL does not bind.
      const view = model('kept_view', "select id from {{ ref('seed_events') }}", { materialized: 'view' });
      await p.run('run', selectAll(graphOf([events, view]), [view.uniqueId]));
      ({ result } = await p.run(
        'run',
        selectAll(graphOf([events, { ...view, rawSql: 'select nope from missing_table' }]), [view.uniqueId]),
      ));
      assert.equal(result.results[0]!.status, 'error');
      assert.equal((await p.query('select count(*) as n from main.kept_view'))[0]!.n, 3n);
    });

    test('long model names: the names a build makes up fit the engine (PostgreSQL cuts at 63 bytes)', async () => {
      // 60 characters: a name that fits, but not with `__vl_tmp` or `__vl_new__model_p_` around it.
      const long = (tag: string) => `${tag}_${'x'.repeat(60 - tag.length - 1)}`;
      const table = model(long('tbl'), "select id, kind from {{ ref('seed_events') }}");
      const incremental = model(long('inc'), "select id, kind from {{ ref('seed_events') }}", {
        ...inc('merge', { uniqueKey: ['id'], onSchemaChange: 'fail' }),
      });
      const graph = graphOf([events, table, incremental]);
      for (let build = 1; build <= 2; build++) {
        const { result } = await p.run('run', selectAll(graph, [table.uniqueId, incremental.uniqueId]));
        assert.deepEqual(
          result.results.map((r) => [r.status, r.message]),
          [
            ['success', undefined],
            ['success', undefined],
          ],
          `build ${build}`,
        );
      }
      for (const m of [table, incremental]) {
        assert.equal((await p.query(`select count(*) as n from main.${m.alias}`))[0]!.n, 3n, m.name);
      }
    });

    test('ephemeral models are inlined as CTEs, also through other ephemerals', async () => {
      const e1 = model('eph_base', "select id, kind from {{ ref('seed_events') }}", {
        materialized: 'ephemeral',
      });
      const e2 = model('eph_a', "select id from {{ ref('eph_base') }} where kind = 'a'", {
        materialized: 'ephemeral',
      });
      const t = model('only_a', "with x as (select * from {{ ref('eph_a') }}) select count(*) as n from x");
      const { result } = await p.run('run', selectAll(graphOf([events, e1, e2, t])));
      assert.deepEqual(
        result.results.map((r) => r.uniqueId),
        [t.uniqueId],
        'ephemerals never run',
      );
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      assert.match(result.results[0]!.compiledSql!, /^with __vl_ephemeral__eph_base as \(/);
      assert.equal((await p.query('select n from main.only_a'))[0]!.n, 2n);
      const tables = await p.query(
        "select table_name from information_schema.tables where table_name like 'eph%'",
      );
      assert.equal(tables.length, 0);
    });
  });

  describe(`${engine.name}: incremental strategies`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    const csv = join(p.dir, 'src.csv');
    const seedNode = seed('seed_src', csv, { id: 'INTEGER', v: 'VARCHAR', batch: 'INTEGER' });
    const write = (rows: string[]) => writeFileSync(csv, `id,v,batch\n${rows.join('\n')}\n`);
    const filtered =
      "select id, v, batch from {{ ref('seed_src') }}{% if is_incremental() %} where batch > (select max(batch) from {{ this }}){% endif %}";

    const build = async (m: ModelNode, options: { fullRefresh?: boolean } = {}) => {
      const { result } = await p.run('build', selectAll(graphOf([seedNode, m])), options);
      return result.results.find((r) => r.uniqueId === m.uniqueId)!;
    };
    const rows = async (name: string) =>
      (await p.query(`select * from main.${name} order by id, batch`)).map((r) =>
        Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v)),
      );

    test('append adds the new rows only', async () => {
      const m = model('inc_append', filtered, inc('append'));
      write(['1,a,1', '2,b,1']);
      assert.equal((await build(m)).rowsAffected, 2);
      write(['1,a,1', '2,b,1', '1,a2,2']);
      const r = await build(m);
      assert.equal(r.status, 'success', r.message);
      assert.equal(r.rowsAffected, 1);
      assert.deepEqual(await rows('inc_append'), [
        [1, 'a', 1],
        [1, 'a2', 2],
        [2, 'b', 1],
      ]);
    });

    test('merge updates matching keys and inserts new ones', async () => {
      const m = model('inc_merge', filtered, inc('merge', { uniqueKey: ['id'] }));
      write(['1,a,1', '2,b,1']);
      await build(m);
      write(['1,a,1', '2,b,1', '1,a2,2', '3,c,2']);
      assert.equal((await build(m)).rowsAffected, 2);
      assert.deepEqual(await rows('inc_merge'), [
        [1, 'a2', 2],
        [2, 'b', 1],
        [3, 'c', 2],
      ]);
    });

    test('delete+insert replaces the rows of matching keys', async () => {
      const m = model('inc_di', filtered, inc('delete+insert', { uniqueKey: ['id'] }));
      write(['1,a,1', '2,b,1']);
      await build(m);
      write(['1,a,1', '2,b,1', '2,b2,2']);
      await build(m);
      assert.deepEqual(await rows('inc_di'), [
        [1, 'a', 1],
        [2, 'b2', 2],
      ]);
    });

    test('merge refuses duplicate keys in the new rows and leaves the table as it was', async () => {
      const m = model('inc_dup', filtered, inc('merge', { uniqueKey: ['id'] }));
      write(['1,a,1']);
      await build(m);
      write(['1,a,1', '5,x,2', '5,y,2']);
      const r = await build(m);
      assert.equal(r.status, 'error');
      assert.match(r.message!, /unique_key \(id\) is not unique in the new rows \(e\.g\. id=5\)/);
      assert.deepEqual(await rows('inc_dup'), [[1, 'a', 1]]);
    });

    test('--full-refresh rebuilds from scratch', async () => {
      const m = model('inc_append', filtered, inc('append'));
      write(['7,z,1']);
      const r = await build(m, { fullRefresh: true });
      assert.equal(r.rowsAffected, 1);
      assert.deepEqual(await rows('inc_append'), [[7, 'z', 1]]);
    });

    test("on_schema_change 'fail' stops with the differences and keeps the table", async () => {
      const m = model('inc_fail', filtered, inc('append', { onSchemaChange: 'fail' }));
      write(['1,a,1']);
      await build(m);
      write(['1,a,1', '2,b,2']);
      const wider = {
        ...m,
        rawSql: filtered.replace('select id, v, batch', "select id, v, batch, 'new' as extra"),
      };
      const r = await build(wider);
      assert.equal(r.status, 'error');
      assert.match(r.message!, new RegExp(`new columns extra ${p.dialect.types.text}`));
      assert.match(r.message!, /--full-refresh/);
      assert.deepEqual(await rows('inc_fail'), [[1, 'a', 1]]);
    });

    test("on_schema_change 'append_new_columns' adds the column; old rows get NULL", async () => {
      const m = model('inc_add', filtered, inc('append', { onSchemaChange: 'append_new_columns' }));
      write(['1,a,1']);
      await build(m);
      write(['1,a,1', '2,b,2']);
      const wider = {
        ...m,
        rawSql: filtered.replace('select id, v, batch', "select id, v, batch, 'new' as extra"),
      };
      const r = await build(wider);
      assert.equal(r.status, 'success', r.message);
      assert.match(
        r.message!,
        new RegExp(`schema change \\(append_new_columns\\): new columns extra ${p.dialect.types.text}`),
      );
      assert.deepEqual(await rows('inc_add'), [
        [1, 'a', 1, null],
        [2, 'b', 2, 'new'],
      ]);
    });

    test("on_schema_change 'ignore' drops new columns and fills missing ones with NULL", async () => {
      const m = model('inc_ignore', filtered, inc('append'));
      write(['1,a,1']);
      await build(m);
      write(['1,a,1', '2,b,2']);
      const narrower = {
        ...m,
        rawSql: filtered.replace('select id, v, batch', "select id, batch, 'x' as extra"),
      };
      const r = await build(narrower);
      assert.equal(r.status, 'success', r.message);
      assert.deepEqual(await rows('inc_ignore'), [
        [1, 'a', 1],
        [2, null, 2],
      ]);
    });

    test('merge without unique_key is refused with the fix', async () => {
      const m = model('inc_nokey', filtered, inc('merge'));
      write(['1,a,1']);
      await build(m);
      const r = await build(m);
      assert.equal(r.status, 'error');
      assert.match(r.message!, /needs unique_key/);
    });
  });
}
