/**
 * The swap path of replaceRelation (engines whose views bind early, e.g. PostgreSQL) run for real:
 * DuckDB's own capabilities never take it, so this suite gives DuckDB's dialect early-bound
 * capabilities to prove the statements do what target.ts says — switch kinds, change columns — and
 * that a failure inside the transaction leaves the old relation as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestWarehouse, testEngines } from '../../../test/helpers/engines.ts';
import type { Dialect, Session } from '../../engine/dialect.ts';
import { tableStatements } from './table.ts';
import type { BuildTarget } from './target.ts';
import { viewStatements } from './view.ts';

// DuckDB only: on PostgreSQL these are its own capabilities, covered by the run-layer suites.
for (const testEngine of testEngines().filter((e) => e.name === 'duckdb')) {
  const { engine } = testEngine;
  describe(`replacing relations by swapping (${testEngine.name}, early-bound capabilities)`, () => {
    const early: Dialect = {
      ...engine.dialect,
      capabilities: {
        ...engine.dialect.capabilities,
        createOrReplace: { table: false, view: true },
        lateBoundViews: false,
      },
    };
    let warehouse: TestWarehouse;
    let session: Session;
    before(async () => {
      warehouse = await testEngine.create();
      session = await warehouse.open();
    });
    after(async () => {
      await session.close();
      await warehouse.drop();
    });

    const target = async (): Promise<BuildTarget> => ({
      schema: 'swap',
      name: 'thing',
      existing: await engine.catalog.relationKind(session, 'swap', 'thing'),
    });
    const build = async (statements: string[]) =>
      session.transaction(async (tx) => {
        for (const statement of statements) await tx.execute(statement);
      });
    const columns = async () =>
      (await engine.catalog.columns(session, 'swap', 'thing')).map((c) => c.name).join(',');
    const relations = async () =>
      (
        await session.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'swap' ORDER BY table_name",
        )
      ).map((r) => r.table_name);

    test('a view, then a table, then a view with other columns', async () => {
      await build(viewStatements(early, await target(), 'SELECT 1 AS a'));
      assert.equal(await engine.catalog.relationKind(session, 'swap', 'thing'), 'view');
      await build(tableStatements(early, await target(), 'SELECT 1 AS a, 2 AS b'));
      assert.equal(await engine.catalog.relationKind(session, 'swap', 'thing'), 'table');
      assert.equal(await columns(), 'a,b');
      await build(tableStatements(early, await target(), 'SELECT 3 AS c'));
      assert.equal(await columns(), 'c');
      await build(viewStatements(early, await target(), "SELECT 'x' AS d, 4 AS e"));
      assert.equal(await engine.catalog.relationKind(session, 'swap', 'thing'), 'view');
      assert.equal(await columns(), 'd,e');
      assert.deepEqual(await relations(), ['thing'], 'nothing left behind under the swap names');
    });

    test('a failure after the swap statements leaves the old relation and its rows', async () => {
      await build(tableStatements(early, await target(), 'SELECT 42 AS kept'));
      await assert.rejects(
        build([...viewStatements(early, await target(), 'SELECT 1 AS gone'), 'SELECT * FROM no_such_table']),
      );
      assert.equal(await engine.catalog.relationKind(session, 'swap', 'thing'), 'table');
      assert.deepEqual(await session.query('SELECT kept FROM swap.thing'), [{ kept: 42 }]);
      assert.deepEqual(await relations(), ['thing']);
    });
  });
}
