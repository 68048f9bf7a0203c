/**
 * A build that fails leaves every table as it was, on every engine: a model's statements run in one
 * transaction (supportsTransactionalDdl), so a statement that fails at run time — after it started
 * writing — undoes the model's work, whether it replaces a table or merges into one. On a server
 * engine the connection itself can be lost mid-build (a restart, a failover, an administrator
 * ending the backend): the node says so, the server has rolled its transaction back, and the next
 * build, on new connections, goes on.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../../test/helpers/engines.ts';
import { graphOf, model, seed, selectAll } from '../../../test/helpers/run-graph.ts';
import { tempProject } from '../../../test/helpers/run-project.ts';
import type { ModelNode } from '../../project/types.ts';
import { openWarehouse } from '../warehouse.ts';

const merge = {
  materialized: 'incremental' as const,
  incremental: { strategy: 'merge' as const, uniqueKey: ['id'], onSchemaChange: 'ignore' as const },
};

for (const engine of testEngines()) {
  describe(`${engine.name}: a failed model leaves every table as before`, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    writeFileSync(join(p.dir, 'nums.csv'), 'id,v\n1,10\n2,20\n3,30\n');
    const nums = seed('seed_nums', join(p.dir, 'nums.csv'), { id: 'INTEGER', v: 'INTEGER' });
    const rows = (relation: string) => p.query(`select id, v from ${relation} order by id`);

    test('a table whose SQL fails on its last row, and an incremental merge that fails half-way', async () => {
      const table = model('kept_table', "select id, v from {{ ref('seed_nums') }}");
      const merged = model('kept_merge', "select id, v from {{ ref('seed_nums') }}", merge);
      const first = await p.run('build', selectAll(graphOf([nums, table, merged])));
      assert.equal(first.result.success, true, JSON.stringify(first.result.results));
      const before = { table: await rows('main.kept_table'), merged: await rows('main.kept_merge') };
      assert.equal(before.table.length, 3);

      // The table: a value that does not convert, on the row with id 3 only.
      const failingTable: ModelNode = {
        ...table,
        rawSql:
          "select id, cast(case when id = 3 then 'x' else '1' end as integer) as v from {{ ref('seed_nums') }}",
      };
      // The merge: ids 1 and 2 update, id 3 overflows the table's INTEGER column inside the MERGE.
      const failingMerge: ModelNode = {
        ...merged,
        rawSql:
          "select id, case when id = 3 then cast(v as bigint) * 100000000000 else cast(v + 1 as bigint) end as v from {{ ref('seed_nums') }}",
      };
      const graph = graphOf([nums, failingTable, failingMerge]);
      const { result } = await p.run(
        'run',
        selectAll(graph, [failingTable.uniqueId, failingMerge.uniqueId]),
        {
          threads: 2,
        },
      );
      assert.deepEqual(
        result.results.map((r) => [r.uniqueId, r.status]),
        [
          [table.uniqueId, 'error'],
          [merged.uniqueId, 'error'],
        ],
      );
      assert.equal(result.results[0]!.error?.kind, 'conversion', result.results[0]!.message);
      assert.match(result.results[1]!.message!, /^models\/kept_merge\.sql: /);
      assert.deepEqual(await rows('main.kept_table'), before.table);
      assert.deepEqual(await rows('main.kept_merge'), before.merged);
      const temps = await p.query(
        "select table_name from information_schema.tables where table_name like '%vl_tmp' or table_name like '%vl_old'",
      );
      assert.deepEqual(temps, [], 'no relation of a swap left behind');
    });
  });

  // Only a server can drop a connection: the embedded DuckDB engine has none to lose.
  describe(`${engine.name}: a connection lost mid-build`, {
    skip: engine.name !== 'postgres' && 'an embedded engine has no connection to lose',
  }, () => {
    const p = tempProject({ engine });
    before(() => p.ready());
    after(() => p.cleanup());
    const MARK = 'vl_slow_marker';

    /** Ends (pg_terminate_backend) the backend running the statement marked MARK, once it runs. */
    async function terminateSlowStatement(): Promise<number> {
      const { session } = await openWarehouse(p.config);
      try {
        for (let attempt = 0; attempt < 300; attempt++) {
          // The mark is spelled in two parts, so this query never finds itself.
          const [found] = await session.query<{ pid: number }>(
            `select pid from pg_stat_activity where datname = current_database() and state = 'active' ` +
              `and pid <> pg_backend_pid() and query like '%' || 'vl_slow' || '_marker%'`,
          );
          if (found) {
            await session.query(`select pg_terminate_backend(${Number(found.pid)}) as ended`);
            return found.pid;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error('the slow statement never showed up in pg_stat_activity');
      } finally {
        await session.close();
      }
    }

    for (const threads of [1, 2]) {
      test(`the node says the connection was lost; tables as before; the next build succeeds (threads ${threads})`, async () => {
        const slow = (sql: string) => model(`slow_${threads}`, sql);
        const downstream = model(`after_${threads}`, `select v + 1 as w from {{ ref('slow_${threads}') }}`);
        const good = graphOf([slow('select 1 as v'), downstream]);
        assert.equal((await p.run('build', selectAll(good))).result.success, true);

        const sleeping = slow(`select 2 as v from pg_sleep(60) -- ${MARK}`);
        const building = p.run('build', selectAll(graphOf([sleeping, downstream])), { threads });
        await terminateSlowStatement();
        const { result } = await building;
        assert.deepEqual(
          result.results.map((r) => [r.uniqueId, r.status]),
          [
            [sleeping.uniqueId, 'error'],
            [downstream.uniqueId, 'skipped'],
          ],
        );
        assert.match(result.results[0]!.message!, new RegExp(`^models/slow_${threads}\\.sql: `));
        assert.match(result.results[0]!.message!, /the connection to the warehouse was lost/);
        assert.deepEqual(await p.query(`select v from main.slow_${threads}`), [{ v: 1 }]);
        assert.deepEqual(await p.query(`select w from main.after_${threads}`), [{ w: 2 }]);
        // The run's own bookkeeping went on after the loss, on another connection.
        const [run] = await p.query(
          `select status, success from vaultline_meta.runs where run_id = '${result.runId}'`,
        );
        assert.deepEqual(run, { status: 'failed', success: false });

        const next = await p.run('build', selectAll(good), { threads });
        assert.equal(next.result.success, true, JSON.stringify(next.result.results));
        assert.deepEqual(await p.query(`select w from main.after_${threads}`), [{ w: 2 }]);
      });
    }
  });
}
