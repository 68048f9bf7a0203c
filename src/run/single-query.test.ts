import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { test as dataTest, model } from '../../test/helpers/run-graph.ts';
import { type Session, SqlError } from '../engine/dialect.ts';
import { engineFor } from '../engine/engine.ts';
import { checkedQuery, NotOneQueryError, originOf } from './single-query.ts';

describe('checkedQuery', () => {
  let session: Session;
  before(async () => {
    session = await engineFor('duckdb').openScratch(':memory:');
  });
  after(() => session.close());

  const stgX = model('stg_x', 'unused');
  const generic = { ...dataTest('not_null_stg_x_id', 'stg_x', { testName: 'not_null' }), line: 12 };

  test('gives the one query without its terminator, ready to wrap', async () => {
    assert.equal(await checkedQuery(session, 'select 1 as a;\n-- end\n', originOf(stgX)), 'select 1 as a');
  });

  test("several statements: the model's file and the line of the second", async () => {
    await assert.rejects(
      checkedQuery(session, "select 1\nwhere x = '';\nDROP TABLE t; --'", originOf(stgX)),
      (error: unknown) => {
        assert.ok(error instanceof NotOneQueryError);
        assert.equal(error.file, 'models/stg_x.sql');
        assert.equal(error.line, undefined);
        assert.match(
          error.message,
          /^models\/stg_x\.sql: model stg_x: its SQL holds 2 statements \(the second begins on compiled line 3: DROP TABLE t; --'\), /,
        );
        return true;
      },
    );
  });

  test("a generic test: the YAML declaration's line, and the compiled line in the message", async () => {
    await assert.rejects(
      checkedQuery(session, 'select 1;\n\nselect 2', originOf(generic)),
      (error: unknown) => {
        assert.ok(error instanceof NotOneQueryError);
        assert.match(
          error.message,
          /^models\/schema\.yml:12: test not_null_stg_x_id: its SQL holds 2 statements \(the second begins on compiled line 3: select 2\)/,
        );
        return true;
      },
    );
  });

  test('no statement, or a statement that is not a query', async () => {
    await assert.rejects(checkedQuery(session, '-- nothing', originOf(stgX)), /holds no statement/);
    await assert.rejects(
      checkedQuery(session, 'update t set a = 1', originOf(stgX)),
      /models\/stg_x\.sql: model stg_x: its SQL is an UPDATE statement, not a query; nothing ran\. A model is one SELECT/,
    );
  });

  test('a syntax error stays the SqlError it is', async () => {
    await assert.rejects(checkedQuery(session, 'select from where', originOf(stgX)), (error: unknown) => {
      assert.ok(error instanceof SqlError);
      assert.match(error.message, /syntax error/);
      return true;
    });
  });
});
