/**
 * Cancelling a build through its AbortSignal (RunProjectInput.signal): the node running when the
 * signal fires is interrupted by the engine and rolled back, so every table is as it was before the
 * build; the nodes after it do not start; the run says `cancelled`, not error. The signal fires as
 * the slow statement is handed to the engine (while DuckDB still prepares it) or a moment later
 * (while it runs: a cross join of 10^12 rows never finishes first), seen through a session wrapper,
 * on the run's own session (threads 1) and on a step's own connection (threads 2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../test/helpers/engines.ts';
import { graphOf, model, selectAll } from '../../test/helpers/run-graph.ts';
import { tempProject } from '../../test/helpers/run-project.ts';
import type { Row, Session, StatementOptions } from '../engine/dialect.ts';
import { openWarehouse } from './warehouse.ts';

const SLOW_MARK = '-- slow statement';

/** `session`, calling `onSlow` after a statement holding SLOW_MARK has gone to the engine. */
function watching(session: Session, delayMs: number, onSlow: () => void): Session {
  const seen = (sql: string) => {
    if (sql.includes(SLOW_MARK)) setTimeout(onSlow, delayMs);
  };
  const wrap = (s: Session): Session => ({
    get dialect() {
      return s.dialect;
    },
    execute: (sql: string, options?: StatementOptions) => {
      const running = s.execute(sql, options);
      seen(sql);
      return running;
    },
    query: <T extends Row = Row>(sql: string, options?: StatementOptions) => s.query<T>(sql, options),
    withConnection: (work) => s.withConnection((c) => work(wrap(c))),
    singleStatement: (sql) => s.singleStatement(sql),
    transaction: (work) => s.transaction((tx) => work(wrap(tx))),
    append: (schema, table, rows) => s.append(schema, table, rows),
    close: () => s.close(),
  });
  return wrap(session);
}

for (const engine of testEngines()) {
  describe(`${engine.name}: cancelling a build`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());

    const cases = [
      { threads: 1, delayMs: 0 },
      { threads: 2, delayMs: 0 },
      { threads: 1, delayMs: 300 },
      { threads: 2, delayMs: 300 },
    ];
    for (const { threads, delayMs } of cases) {
      test(`a build cancelled while a slow model runs leaves every table as before (threads ${threads}, after ${delayMs} ms)`, async () => {
        const prefix = `t${threads}_${delayMs}_`;
        const slow = (sql: string) => model(`${prefix}slow`, sql, { materialized: 'table' });
        const downstream = model(`${prefix}after`, `select v + 1 as w from {{ ref('${prefix}slow') }}`);
        const first = graphOf([slow('select 1 as v'), downstream]);
        assert.equal((await p.run('build', selectAll(first))).result.success, true);

        const endless = slow(
          `select count(*) as v from generate_series(1, 1000000) as a(x) cross join generate_series(1, 1000000) as b(y) ${SLOW_MARK}`,
        );
        const controller = new AbortController();
        const { engine, session } = await openWarehouse(p.config);
        try {
          const { result } = await p.run('build', selectAll(graphOf([endless, downstream])), {
            threads,
            signal: controller.signal,
            warehouse: { engine, session: watching(session, delayMs, () => controller.abort()) },
          });
          assert.equal(result.cancelled, true);
          assert.equal(result.success, false);
          assert.deepEqual(
            result.results.map((r) => [r.uniqueId, r.status]),
            [
              [endless.uniqueId, 'cancelled'],
              [downstream.uniqueId, 'skipped'],
            ],
          );
          assert.match(result.results[1]!.message ?? '', /cancelled/);
          assert.deepEqual(await session.query(`select v from main.${prefix}slow`), [{ v: 1 }]);
          assert.deepEqual(await session.query(`select w from main.${prefix}after`), [{ w: 2 }]);
          const [run] = await session.query(
            `select status, success from vaultline_meta.runs where run_id = '${result.runId}'`,
          );
          assert.deepEqual(run, { status: 'cancelled', success: false });
          const recorded = await session.query<{ status: string }>(
            `select status from vaultline_meta.node_results where run_id = '${result.runId}' order by unique_id`,
          );
          assert.deepEqual(
            recorded.map((r) => r.status),
            ['skipped', 'cancelled'],
          );
        } finally {
          await session.close();
        }
      });
    }
  });
}
