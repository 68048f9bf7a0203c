import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SqlError } from '../dialect.ts';
import { duckdbCatalog } from './catalog.ts';
import { openDuckDbSession } from './session.ts';

describe('DuckDB catalog: queryColumns', () => {
  test("a query's columns and types without running it or creating anything; a query that does not bind throws", async () => {
    const session = await openDuckDbSession(':memory:');
    try {
      await session.execute('CREATE TABLE t (id INTEGER, label VARCHAR)');
      await session.execute("INSERT INTO t VALUES (1, 'a')"); // running the query would raise
      const columns = await duckdbCatalog.queryColumns(
        session,
        `WITH x AS (SELECT id, label, CAST(NULL AS DECIMAL(10, 2)) AS price FROM t)
         SELECT id, upper(label) AS label, price, now() AS seen FROM x WHERE error('never run') IS NULL`,
      );
      assert.deepEqual(columns, [
        { name: 'id', dataType: 'INTEGER' },
        { name: 'label', dataType: 'VARCHAR' },
        { name: 'price', dataType: 'DECIMAL(10,2)' },
        { name: 'seen', dataType: 'TIMESTAMP WITH TIME ZONE' },
      ]);
      const [tables] = await session.query<{ n: bigint }>(
        'SELECT count(*) AS n FROM information_schema.tables',
      );
      assert.equal(tables?.n, 1n, 'nothing was created');
      await assert.rejects(duckdbCatalog.queryColumns(session, 'SELECT nope FROM t'), SqlError);
    } finally {
      await session.close();
    }
  });
});
