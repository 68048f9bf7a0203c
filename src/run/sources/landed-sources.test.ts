import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../../test/helpers/engines.ts';
import { graphOf, model, selectAll, source } from '../../../test/helpers/run-graph.ts';
import { tempProject } from '../../../test/helpers/run-project.ts';
import { openWarehouse } from '../warehouse.ts';
import { releaseQuarantined } from './quarantine.ts';

const quake = (id: string, mag: number) => ({ id, properties: { mag, place: `near ${id}` } });
const payload = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
/**
 * A nested field of a source without a contract, in the engine's own SQL: DuckDB types `properties`
 * as a STRUCT, PostgreSQL as jsonb. (A contract's `path:` would be the portable way.)
 */
const MAG = {
  duckdb: 'properties.mag',
  postgres: "CAST(properties ->> 'mag' AS double precision)",
} as const;

for (const engine of testEngines()) {
  describe(`${engine.name}: sources over the landing store + load audit`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    const src = source('usgs', 'earthquakes', { recordsPath: '$.features[*]' });
    const stg = model(
      'stg_quakes',
      `select _landing_key, _load_ts, _record_source, id, ${MAG[engine.name]} as mag from {{ source('usgs', 'earthquakes') }}`,
      { materialized: 'incremental', incremental: { strategy: 'append', onSchemaChange: 'fail' } },
    );
    const graph = graphOf([src, stg]);

    test('first build reads every landed object, with landing columns and payload fields', async () => {
      await p.land('usgs', 'earthquakes', payload(quake('a', 1), quake('b', 2.5)), '2026-01-01T00:00:00Z');
      await p.land('usgs', 'earthquakes', payload(quake('c', 3)), '2026-01-02T00:00:00Z');
      const { result } = await p.run('build', selectAll(graph));
      assert.equal(result.success, true, JSON.stringify(result.results));
      assert.equal(result.results[0]!.rowsAffected, 3);
      const rows = await p.query('select id, mag, _record_source, _load_ts from main.stg_quakes order by id');
      assert.deepEqual(
        rows.map((r) => [r.id, r.mag, r._record_source, (r._load_ts as Date).toISOString().slice(0, 10)]),
        [
          ['a', 1, 'usgs/earthquakes', '2026-01-01'],
          ['b', 2.5, 'usgs/earthquakes', '2026-01-01'],
          ['c', 3, 'usgs/earthquakes', '2026-01-02'],
        ],
      );
      const audit = await p.query(
        'select landing_key, row_count, status, run_id from vaultline_meta.load_audit order by landing_key',
      );
      assert.equal(audit.length, 2);
      assert.deepEqual(
        audit.map((a) => [Number(a.row_count), a.status, a.run_id]),
        [
          [2, 'loaded', 'run-1'],
          [1, 'loaded', 'run-1'],
        ],
      );
    });

    test('a second build with nothing new landed changes no row and audits nothing new', async () => {
      const before = await p.query('select * from main.stg_quakes order by id');
      const { result } = await p.run('build', selectAll(graph));
      assert.equal(result.success, true, JSON.stringify(result.results));
      assert.equal(result.results[0]!.rowsAffected, 0);
      assert.deepEqual(await p.query('select * from main.stg_quakes order by id'), before);
      const audit = await p.query('select count(*) as n from vaultline_meta.load_audit');
      assert.equal(Number(audit[0]!.n), 2);
    });

    test('after one more payload, the incremental model reads exactly that object', async () => {
      const key = await p.land(
        'usgs',
        'earthquakes',
        payload(quake('d', 4.1), quake('e', 0.5)),
        '2026-01-03T00:00:00Z',
      );
      const { result } = await p.run('build', selectAll(graph));
      assert.equal(result.results[0]!.rowsAffected, 2);
      const audit = await p.query(
        `select landing_key, row_count from vaultline_meta.load_audit where run_id = 'run-3'`,
      );
      assert.deepEqual(
        audit.map((a) => [a.landing_key, Number(a.row_count)]),
        [[key, 2]],
      );
      const ids = await p.query('select id from main.stg_quakes order by id');
      assert.deepEqual(
        ids.map((r) => r.id),
        ['a', 'b', 'c', 'd', 'e'],
      );
    });

    test('a payload that cannot be read is quarantined, named with its reason, and never blocks the next', async () => {
      const bad = await p.land(
        'usgs',
        'earthquakes',
        '{"type": "FeatureCollection", "features": [',
        '2026-01-04T00:00:00Z',
      );
      const wrongShape = await p.land(
        'usgs',
        'earthquakes',
        '{"error": "rate limited"}',
        '2026-01-04T01:00:00Z',
      );
      const good = await p.land('usgs', 'earthquakes', payload(quake('f', 2)), '2026-01-04T02:00:00Z');
      const { result } = await p.run('build', selectAll(graph));
      const r = result.results[0]!;
      assert.equal(r.status, 'success', r.message);
      assert.equal(r.rowsAffected, 1);
      // The model built, but the run says what it could not read: exit 1 (no tolerance declared).
      assert.equal(result.success, false);
      const report = result.sources?.[0];
      assert.deepEqual(report?.quarantined.map((q) => q.key).sort(), [bad, wrongShape].sort());
      assert.match(report?.failure ?? '', /2 payload\(s\) quarantined \(max_quarantined: 0\)/);
      assert.ok(
        p.warnings.some((w) => w.includes(bad) && w.includes('not valid JSON')),
        p.warnings.join('\n'),
      );
      assert.ok(
        p.warnings.some((w) => w.includes(wrongShape) && w.includes('$.features') && w.includes('missing')),
        p.warnings.join('\n'),
      );
      const audit = await p.query(
        `select landing_key, status from vaultline_meta.load_audit where run_id = 'run-4' order by landing_key`,
      );
      assert.deepEqual(
        audit.map((a) => [a.landing_key, a.status]),
        [[good, 'loaded']],
      );
      const quarantine = await p.query(
        'select landing_key, reason, released_at from vaultline_meta.quarantine order by landing_key',
      );
      assert.deepEqual(
        quarantine.map((q) => q.landing_key),
        [bad, wrongShape].sort(),
      );
      const stored = await p.query(
        `select skipped_payloads from vaultline_meta.node_results where run_id = 'run-4'`,
      );
      assert.deepEqual(JSON.parse(String(stored[0]!.skipped_payloads)).sort(), [bad, wrongShape].sort());
    });

    test('the next build does not read them again, succeeds, and still lists them', async () => {
      const { result } = await p.run('build', selectAll(graph));
      assert.equal(result.success, true, JSON.stringify(result.sources));
      assert.equal(result.sources?.[0]?.stillQuarantined.length, 2);
      assert.equal(result.sources?.[0]?.quarantined.length, 0);
    });

    test('full refresh re-reads every landed payload into a new generation and resets the audit', async () => {
      const { result } = await p.run('build', selectAll(graph), { fullRefresh: true });
      assert.equal(result.results[0]!.rowsAffected, 6, JSON.stringify(result));
      const audit = await p.query(
        'select count(*) as n, count(distinct landing_key) as k from vaultline_meta.load_audit',
      );
      assert.equal(Number(audit[0]!.n), 4);
      assert.equal(Number(audit[0]!.k), 4);
      const tables = await p.query(
        "select table_name from information_schema.tables where table_schema = 'vaultline_raw' order by 1",
      );
      assert.deepEqual(
        tables.map((t) => t.table_name),
        ['usgs__earthquakes__g2'],
      );
    });

    test('a full refresh of the source keeps the views that read it (views bind early on PostgreSQL)', async () => {
      const view = model('v_quakes', `select id from {{ source('usgs', 'earthquakes') }}`, {
        materialized: 'view',
      });
      const withView = graphOf([src, stg, view]);
      assert.equal((await p.run('run', selectAll(withView, [view.uniqueId]))).result.success, true);
      // Only the incremental model, rebuilt: its source gets a new generation, the view is not rebuilt.
      const { result } = await p.run('run', selectAll(withView, [stg.uniqueId]), { fullRefresh: true });
      assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
      assert.equal((await p.query('select count(*) as n from main.v_quakes'))[0]!.n, 6n);
      const tables = await p.query(
        "select table_name from information_schema.tables where table_schema = 'vaultline_raw' order by 1",
      );
      assert.deepEqual(
        tables.map((t) => t.table_name),
        ['usgs__earthquakes__g3'],
        'the generation the view read before is dropped once the view reads the new one',
      );
    });
  });

  describe(`${engine.name}: listing only the landing partitions that changed`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    const src = source('usgs', 'earthquakes', { recordsPath: '$.features[*]' });
    const stg = model('stg_quakes', `select id from {{ source('usgs', 'earthquakes') }}`, {
      materialized: 'incremental',
      incremental: { strategy: 'append', onSchemaChange: 'fail' },
    });
    const graph = graphOf([src, stg]);
    const listed: string[] = [];
    const original = p.store.list.bind(p.store);
    p.store.list = (prefix?: string) => {
      listed.push(prefix ?? '');
      return original(prefix);
    };
    /** Partition folders modified a while ago: their mtime is trusted as a change token. */
    const age = (day: string) => {
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(p.dir, '.vaultline/raw/usgs/earthquakes', `load_date=${day}`), past, past);
    };

    test('an unchanged partition is not listed again; a new object in it is found', async () => {
      await p.land('usgs', 'earthquakes', payload(quake('a', 1)), '2026-01-01T00:00:00Z');
      await p.land('usgs', 'earthquakes', payload(quake('b', 2)), '2026-01-02T00:00:00Z');
      age('2026-01-01');
      age('2026-01-02');
      let { result } = await p.run('build', selectAll(graph));
      assert.equal(result.results[0]!.rowsAffected, 2);
      assert.deepEqual(listed.splice(0).sort(), [
        'usgs/earthquakes/load_date=2026-01-01/',
        'usgs/earthquakes/load_date=2026-01-02/',
      ]);
      ({ result } = await p.run('build', selectAll(graph)));
      assert.equal(result.results[0]!.rowsAffected, 0);
      assert.deepEqual(listed.splice(0), [], 'nothing changed: nothing listed');
      // A payload committed late into an old partition changes that folder: it is listed and read.
      await p.land('usgs', 'earthquakes', payload(quake('late', 3)), '2026-01-01T12:00:00Z');
      ({ result } = await p.run('build', selectAll(graph)));
      assert.equal(result.results[0]!.rowsAffected, 1);
      assert.deepEqual(listed.splice(0), ['usgs/earthquakes/load_date=2026-01-01/']);
    });

    test('a released payload is read again although its partition did not change', async () => {
      const bad = await p.land('usgs', 'earthquakes', '{"features": [', '2026-01-03T00:00:00Z');
      for (const day of ['2026-01-01', '2026-01-02', '2026-01-03']) age(day);
      await p.run('build', selectAll(graph));
      const { session } = await openWarehouse(p.config);
      try {
        assert.equal(await releaseQuarantined(session, [bad], new Date()), 1);
      } finally {
        await session.close();
      }
      listed.splice(0);
      const { result } = await p.run('build', selectAll(graph));
      assert.deepEqual(listed.splice(0), ['usgs/earthquakes/load_date=2026-01-03/']);
      assert.deepEqual(
        result.sources?.[0]?.quarantined.map((q) => q.key),
        [bad],
        'read again (and quarantined again: it still does not parse)',
      );
    });

    describe(`${engine.name}: one model over two sources with long names`, () => {
      const p = tempProject({ engine });
      before(() => p.ready());
      after(() => p.cleanup());

      test('an incremental model reads each source through a temporary view of its own (names fitted to the engine)', async () => {
        // `__vl_src__model_p_<model>__usgs__<table>` is over 63 bytes: cut there, both views were one.
        const table = (tag: string) => `earthquakes_reported_by_network_${tag}`;
        const sources = ['north', 'south'].map((tag) =>
          source('usgs', table(tag), { recordsPath: '$.features[*]' }),
        );
        const both = model(
          'stg_quakes_of_both_networks',
          sources.map((s) => `select id from {{ source('usgs', '${s.tableName}') }}`).join(' union all '),
          { materialized: 'incremental', incremental: { strategy: 'append', onSchemaChange: 'fail' } },
        );
        const graph = graphOf([...sources, both]);
        await p.land('usgs', table('north'), payload(quake('n1', 1)), '2026-01-01T00:00:00Z');
        await p.land('usgs', table('south'), payload(quake('s1', 1)), '2026-01-01T00:00:00Z');
        assert.equal((await p.run('build', selectAll(graph))).result.success, true);
        await p.land('usgs', table('north'), payload(quake('n2', 1)), '2026-01-02T00:00:00Z');
        await p.land('usgs', table('south'), payload(quake('s2', 1)), '2026-01-02T00:00:00Z');
        const { result } = await p.run('build', selectAll(graph));
        assert.equal(result.results[0]!.status, 'success', result.results[0]!.message);
        assert.equal(result.results[0]!.rowsAffected, 2);
        const ids = await p.query('select id from main.stg_quakes_of_both_networks order by id');
        assert.deepEqual(
          ids.map((r) => r.id),
          ['n1', 'n2', 's1', 's2'],
        );
      });
    });
  });
}
