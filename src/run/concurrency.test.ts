/**
 * `--threads`: independent nodes run their statements at the same time, each on a connection of its
 * own. Proven without timing: each of two models' CREATE statements waits, before it reaches the
 * engine, until the other's has started too (a rendezvous). Run one after another — one connection,
 * or a session that serialises its callers — the first would wait forever (the test fails after
 * RENDEZVOUS_MS with "statements ran one after another"). Then the run's bookkeeping is checked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import { graphOf, model, selectAll, source } from '../../test/helpers/run-graph.ts';
import { tempProject } from '../../test/helpers/run-project.ts';
import type { Row, Session, StatementOptions } from '../engine/dialect.ts';
import { openWarehouse } from './warehouse.ts';

const RENDEZVOUS_MS = 30_000;

/** A session whose first statement carrying each marker waits until every marker's has started. */
function rendezvous(inner: Session, markers: string[], events: string[]): Session {
  const started = new Set<string>();
  const waiting: (() => void)[] = [];
  const arrive = async (sql: string): Promise<string | undefined> => {
    const marker = markers.find((m) => sql.includes(m) && !started.has(m));
    if (!marker) return undefined;
    started.add(marker);
    events.push(`start ${marker}`);
    if (started.size === markers.length) for (const wake of waiting.splice(0)) wake();
    else {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`statements ran one after another: ${marker} waited alone`)),
          RENDEZVOUS_MS,
        );
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return marker;
  };
  const wrap = (session: Session): Session => ({
    get dialect() {
      return session.dialect;
    },
    async execute(sql: string, options?: StatementOptions) {
      const marker = await arrive(sql);
      await session.execute(sql, options);
      if (marker) events.push(`end ${marker}`);
    },
    query: <T extends Row = Row>(sql: string, options?: StatementOptions) => session.query<T>(sql, options),
    withConnection: (work) => session.withConnection((s) => work(wrap(s))),
    singleStatement: (sql) => session.singleStatement(sql),
    transaction: (work) => session.transaction((tx) => work(wrap(tx))),
    append: (schema, table, rows) => session.append(schema, table, rows),
    close: () => session.close(),
  });
  return wrap(inner);
}

for (const engine of testEngines()) {
  describe(`${engine.name}: --threads runs independent nodes at the same time`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());

    test("two independent models' statements are in flight together; results and history are complete", async () => {
      const a = model('par_a', 'select 1 as x -- rendezvous:a');
      const b = model('par_b', 'select 2 as y -- rendezvous:b');
      const c = model('par_c', "select x, y from {{ ref('par_a') }} cross join {{ ref('par_b') }}");
      const { engine, session } = await openWarehouse(p.config);
      const events: string[] = [];
      try {
        const { result } = await p.run('run', selectAll(graphOf([a, b, c])), {
          threads: 4,
          warehouse: { engine, session: rendezvous(session, ['rendezvous:a', 'rendezvous:b'], events) },
        });
        assert.deepEqual(
          result.results.map((r) => [r.uniqueId, r.status, r.message]),
          [a, b, c].map((m) => [m.uniqueId, 'success', undefined]),
        );
        assert.deepEqual(events.slice(0, 2).sort(), ['start rendezvous:a', 'start rendezvous:b']);
        assert.deepEqual(await session.query('SELECT x, y FROM main.par_c'), [{ x: 1, y: 2 }]);
        const recorded = await session.query<{ unique_id: string; status: string }>(
          `SELECT unique_id, status FROM vaultline_meta.node_results WHERE run_id = '${result.runId}' ORDER BY unique_id`,
        );
        assert.deepEqual(
          recorded.map((r) => [r.unique_id, r.status]),
          [a, b, c].map((m) => [m.uniqueId, 'success']),
        );
        const [run] = await session.query(
          `SELECT status FROM vaultline_meta.runs WHERE run_id = '${result.runId}'`,
        );
        assert.equal(run?.status, 'success');
      } finally {
        await session.close();
      }
    });

    test('incremental models on their own connections read only their new objects (temporary views per connection)', async () => {
      const quake = (id: string) => JSON.stringify({ features: [{ id }] });
      const src = source('usgs', 'quakes', { recordsPath: '$.features[*]' });
      const incremental = (name: string) =>
        model(name, `select _landing_key, id from {{ source('usgs', 'quakes') }}`, {
          materialized: 'incremental',
          incremental: { strategy: 'append', onSchemaChange: 'fail' },
        });
      const graph = graphOf([src, incremental('inc_one'), incremental('inc_two')]);
      await p.land('usgs', 'quakes', quake('a'), '2026-01-01T00:00:00Z');
      let { result } = await p.run('build', selectAll(graph), { threads: 4 });
      assert.equal(result.success, true, JSON.stringify(result.results));
      const key = await p.land('usgs', 'quakes', quake('b'), '2026-01-02T00:00:00Z');
      ({ result } = await p.run('build', selectAll(graph), { threads: 4 }));
      assert.deepEqual(
        result.results.map((r) => [r.uniqueId, r.status, r.rowsAffected]),
        [
          ['model.p.inc_one', 'success', 1],
          ['model.p.inc_two', 'success', 1],
        ],
      );
      for (const name of ['inc_one', 'inc_two']) {
        const ids = await p.query(`select id from main.${name} order by id`);
        assert.deepEqual(
          ids.map((r) => r.id),
          ['a', 'b'],
        );
        const audit = await p.query(
          `select landing_key from vaultline_meta.load_audit where model_unique_id = 'model.p.${name}' and run_id = '${result.runId}'`,
        );
        assert.deepEqual(
          audit.map((a) => a.landing_key),
          [key],
        );
      }
    });
  });
}
