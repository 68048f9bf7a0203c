import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../../test/helpers/engines.ts';
import { graphOf, miniRender, model, selectAll, source } from '../../../test/helpers/run-graph.ts';
import { tempProject } from '../../../test/helpers/run-project.ts';
import { type S3rverHandle, startS3rver } from '../../../test/helpers/s3rver.ts';
import { S3Store } from '../../landing/s3-store.ts';
import { previewQuery } from '../preview.ts';
import { openWarehouse } from '../warehouse.ts';

const worldbank = JSON.stringify([
  { page: 1, pages: 1, total: 2 },
  [
    { country: { id: 'ZA' }, date: '2024', value: null },
    { country: { id: 'ZA' }, date: '2023', value: 63212384 },
  ],
]);

/**
 * What differs in the models' own SQL (user SQL, not vaultline's): a nested field of a source
 * without a contract (DuckDB: a STRUCT, PostgreSQL: jsonb), and a JSON path into the `payload` text.
 */
const ENGINE_SQL = {
  duckdb: { countryId: 'country.id', firstTotal: "json->>'$[0].total'" },
  postgres: { countryId: "country ->> 'id'", firstTotal: "json -> 0 ->> 'total'" },
} as const;

/** The columns of the model over a source with nothing landed, as each engine's catalog spells them. */
const EMPTY_SOURCE_COLUMNS = {
  duckdb: [
    ['next_id', 'INTEGER'],
    ['label', 'VARCHAR'],
    ['_load_ts', 'TIMESTAMP'],
  ],
  postgres: [
    ['next_id', 'integer'],
    ['label', 'text'],
    ['_load_ts', 'timestamp without time zone'],
  ],
} as const;

for (const engine of testEngines()) {
  describe(`${engine.name}: source shapes`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    const sql = ENGINE_SQL[engine.name];

    test("records path [1][*] (the World Bank's [meta, records] pages)", async () => {
      await p.land('worldbank', 'population', worldbank, '2026-02-01T00:00:00Z');
      const src = source('worldbank', 'population', { recordsPath: '[1][*]' });
      const m = model(
        'stg_pop',
        `select ${sql.countryId} as country, date, value from {{ source('worldbank', 'population') }}`,
      );
      const { result } = await p.run('run', selectAll(graphOf([src, m])));
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      const rows = await p.query('select * from main.stg_pop order by date');
      assert.deepEqual(rows, [
        { country: 'ZA', date: '2023', value: 63212384n },
        { country: 'ZA', date: '2024', value: null },
      ]);
    });

    test('no records path: a document is one record, a top-level array one record per element', async () => {
      await p.land('misc', 'doc', '{"a": 1, "b": "x"}', '2026-02-01T00:00:00Z');
      await p.land('misc', 'doc', '[{"a": 2, "b": "y"}, {"a": 3}]', '2026-02-02T00:00:00Z');
      const src = source('misc', 'doc');
      const m = model('stg_doc', "select a, b from {{ source('misc', 'doc') }}");
      await p.run('run', selectAll(graphOf([src, m])));
      assert.deepEqual(await p.query('select * from main.stg_doc order by a'), [
        { a: 1n, b: 'x' },
        { a: 2n, b: 'y' },
        { a: 3n, b: null },
      ]);
    });

    test('sql: selects from the relation `payload` (json, _landing_key, _load_ts, _record_source)', async () => {
      const src = source('worldbank', 'population', {
        sql: `select _landing_key, ${sql.firstTotal} as total from payload`,
      });
      const m = model('pop_pages', "select * from {{ source('worldbank', 'population') }}");
      const { result } = await p.run('run', selectAll(graphOf([src, m])));
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      const rows = await p.query('select total from main.pop_pages');
      assert.deepEqual(rows, [{ total: '2' }]);
    });

    test('a source with nothing landed yet gives an empty relation with its declared columns', async () => {
      const column = (name: string, kind: 'integer' | 'text') => ({
        name,
        type: { kind },
        paths: [[{ key: name }]],
        pathText: name,
        onError: 'null' as const,
      });
      const src = source('nothing', 'yet', {
        columns: [
          { name: 'id', dataType: 'integer' },
          { name: 'label', dataType: 'text' },
        ],
        contract: { columns: [column('id', 'integer'), column('label', 'text')] },
      });
      const m = model(
        'stg_nothing',
        "select id + 1 as next_id, label, _load_ts from {{ source('nothing', 'yet') }}",
        {
          materialized: 'incremental',
          incremental: { strategy: 'append', onSchemaChange: 'fail' },
        },
      );
      const { result } = await p.run('build', selectAll(graphOf([src, m])));
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      assert.equal(result.results[0]!.rowsAffected, 0);
      assert.ok(
        p.warnings.some(
          (w) =>
            w.includes('no payload landed under nothing/yet/ yet') && w.includes('vaultline extract nothing'),
        ),
        p.warnings.join('\n'),
      );
      const { session } = await openWarehouse(p.config);
      try {
        const columns = await engine.engine.catalog.columns(session, 'main', 'stg_nothing');
        assert.deepEqual(
          columns.map((c) => [c.name, c.dataType]),
          EMPTY_SOURCE_COLUMNS[engine.name],
        );
      } finally {
        await session.close();
      }
    });

    test('a body damaged in the store is quarantined naming the key; the model builds, the run fails', async () => {
      const key = await p.land('misc', 'damaged', '{"a": 1}', '2026-02-03T00:00:00Z');
      writeFileSync(join(p.dir, '.vaultline/raw', key), 'not gzip at all');
      const src = source('misc', 'damaged');
      const m = model('stg_damaged', "select * from {{ source('misc', 'damaged') }}");
      const good = await p.land('misc', 'damaged', '{"a": 2}', '2026-02-04T00:00:00Z');
      const { result } = await p.run('run', selectAll(graphOf([src, m])));
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      assert.equal(result.success, false);
      const q = result.sources?.[0]?.quarantined ?? [];
      assert.deepEqual(
        q.map((e) => e.key),
        [key],
      );
      assert.match(q[0]!.reason, /damaged in the landing store/);
      const rows = await p.query('select _landing_key, a from main.stg_damaged');
      assert.deepEqual(rows, [{ _landing_key: good, a: 2n }]);
    });

    test('show: a source, a model (compiled, sources in full) and an inline query', async () => {
      const src = source('worldbank', 'population', { recordsPath: '[1][*]' });
      const m = model(
        'stg_pop',
        `select ${sql.countryId} as country, date from {{ source('worldbank', 'population') }} order by date`,
      );
      const graph = graphOf([src, m]);
      const base = { config: p.config, graph, render: miniRender, store: p.store, limit: 1 };
      const shown = await previewQuery({ ...base, node: m });
      assert.deepEqual(shown.rows, [{ country: 'ZA', date: '2023' }]);
      const raw = await previewQuery({ ...base, node: src, limit: 5 });
      assert.deepEqual(raw.columns, [
        '_landing_key',
        '_record_index',
        '_load_ts',
        '_record_source',
        '_request_url',
        '_request_params',
        'country',
        'date',
        'value',
        '_record',
      ]);
      const inline = await previewQuery({
        ...base,
        inline: "select count(*) as n from {{ ref('stg_pop') }}",
        limit: 5,
      });
      assert.deepEqual(inline.rows, [{ n: 2 }]);
    });
  });
}

describe('sources over an S3 landing store (objects cached locally for DuckDB)', () => {
  let s3: S3rverHandle;
  before(async () => {
    s3 = await startS3rver();
  });
  after(async () => {
    await s3?.close();
  });

  test('incremental staging over S3 reads each new object once, through the verified cache', async () => {
    let store: S3Store | undefined;
    const p = tempProject({
      store: (dir) => {
        store = new S3Store({
          bucket: s3.bucket,
          prefix: 'lake',
          region: s3.region,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: s3.credentials,
          cacheDir: join(dir, '.vaultline/cache'),
        });
        return store;
      },
    });
    try {
      const src = source('usgs', 'earthquakes', { recordsPath: '$.features[*]' });
      const m = model('stg_q', "select id from {{ source('usgs', 'earthquakes') }}", {
        materialized: 'incremental',
        incremental: { strategy: 'append', onSchemaChange: 'fail' },
      });
      const graph = graphOf([src, m]);
      await p.land('usgs', 'earthquakes', '{"features": [{"id": "a"}, {"id": "b"}]}', '2026-03-01T00:00:00Z');
      let { result } = await p.run('build', selectAll(graph));
      assert.equal(result.results[0]!.rowsAffected, 2, result.results[0]!.message);
      const key = await p.land('usgs', 'earthquakes', '{"features": [{"id": "c"}]}', '2026-03-02T00:00:00Z');
      ({ result } = await p.run('build', selectAll(graph)));
      assert.equal(result.results[0]!.rowsAffected, 1);
      const audit = await p.query("select landing_key from vaultline_meta.load_audit where run_id = 'run-2'");
      assert.deepEqual(audit, [{ landing_key: key }]);
      assert.ok(store instanceof S3Store);
      assert.ok(
        existsSync(join(p.dir, '.vaultline/cache', ...key.split('/'))),
        'DuckDB read the local cache copy',
      );
    } finally {
      await p.cleanup();
    }
  });
});
