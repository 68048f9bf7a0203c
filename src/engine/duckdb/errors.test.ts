import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../dialect.ts';
import { SqlError } from '../dialect.ts';
import { describeDuckDbError } from './errors.ts';
import { openDuckDbSession } from './session.ts';

/** DuckDB's real messages, classified: the shapes errors.ts relies on. */
describe('describeDuckDbError on DuckDB 1.5', () => {
  let session: Session;
  before(async () => {
    session = await openDuckDbSession(':memory:');
    await session.execute("CREATE TABLE t AS SELECT 1 AS id, 'abc' AS name");
  });
  after(() => session.close());

  const failure = async (sql: string) => {
    try {
      await session.execute(sql);
    } catch (error) {
      assert.ok(error instanceof SqlError);
      return describeDuckDbError(error.cause);
    }
    throw new Error(`${sql} did not fail`);
  };

  it('an unknown column: its name, the candidates, the statement line, no LINE part in the message', async () => {
    const info = await failure('SELECT id,\n  nme\nFROM t');
    assert.deepEqual(
      { kind: info.kind, name: info.name, candidates: info.candidates, line: info.line },
      { kind: 'unknown-column', name: 'nme', candidates: ['name'], line: 2 },
    );
    assert.doesNotMatch(info.message, /LINE/);
  });

  it('an unknown table, a conversion, a syntax error, anything else', async () => {
    const table = await failure('SELECT *\nFROM tt');
    assert.deepEqual([table.kind, table.name, table.line], ['unknown-relation', 'tt', 2]);
    assert.equal((await failure("SELECT CAST('x' AS INTEGER)")).kind, 'conversion');
    assert.equal((await failure('SELEC 1')).kind, 'syntax');
    assert.equal((await failure('SELECT sum(id), name FROM t')).kind, 'other');
  });
});
