/**
 * Splitting and classifying PostgreSQL statements without the server (statements.ts, sql-lexer.ts).
 * The cases shared with DuckDB are in test/engine-conformance.test.ts; these are the lexer's edges.
 * The last test checks the split against the server's own parser: every text the lexer calls one
 * statement, the extended protocol takes as one, and the reverse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type TestWarehouse, testEngines } from '../../../test/helpers/engines.ts';
import { type Session, SqlError, StatementCountError } from '../dialect.ts';
import type { PostgresWarehouseConfig } from './config.ts';
import { singleStatement, splitStatements } from './statements.ts';

const count = (sql: string) => splitStatements(sql).length;

describe('PostgreSQL statement splitting', () => {
  test('a ; in strings, identifiers, dollar quotes and comments is no terminator', () => {
    for (const sql of [
      "select 'a;b'",
      "select 'it''s; fine'",
      "select E'\\';' as x",
      "select e'\\\\'; ",
      "select U&'\\0041;' UESCAPE '\\'",
      'select U&"a;b" from t',
      'select "a;""b" from t',
      'select $$;$$',
      'select $body$ $$; $body$',
      'select $a$ $b$; $a$',
      'select 1 -- ;\n',
      'select /* ; /* ; */ ; */ 1',
      'select 1 /* trailing ; */',
      "select B'01', X'ff', N'x;'",
    ]) {
      assert.equal(count(sql), 1, sql);
    }
  });

  test('$1 is a parameter and a$b an identifier, neither opens a dollar quote', () => {
    assert.equal(count('select $1; select $2'), 2);
    assert.equal(count('select a$b$ from t; select 2'), 2);
    assert.equal(count('select 1::int4$; select 2'), 2);
  });

  test('a standard-conforming string ends at its quote: a backslash does not escape it', () => {
    // 'a\' is a whole string; what follows is a second statement.
    assert.equal(count("select 'a\\'; drop table t"), 2);
    // In an E'' string the backslash escapes the quote: one statement.
    assert.equal(count("select E'a\\'; drop table t'"), 1);
  });

  test('semicolons inside parentheses and a BEGIN ATOMIC body do not end the statement', () => {
    assert.equal(
      count('create rule r as on insert to t do also (insert into a values (1); insert into b values (2))'),
      1,
    );
    assert.equal(
      count(
        'create or replace procedure p() language sql begin atomic insert into t values (1); select case when true then 1 end; end; select 2',
      ),
      2,
    );
    // BEGIN outside a routine is a transaction: it ends at its semicolon.
    assert.equal(count('begin; select 1; commit'), 3);
  });

  test('unterminated tokens are syntax errors naming the line', () => {
    for (const [sql, pattern] of [
      ["select 1,\n 'open", /unterminated quoted string at or near "'open" \(line 2\)/],
      ['select\n\n"open', /unterminated quoted identifier.*\(line 3\)/],
      ['select $x$ open', /unterminated dollar-quoted string.*\(line 1\)/],
      ['select 1 /* /* */', /unterminated \/\* comment.*\(line 1\)/],
      ['select (1, 2', /parenthesis is never closed.*\(line 1\)/],
    ] as const) {
      assert.throws(
        () => singleStatement(sql),
        (error: unknown) => {
          assert.ok(error instanceof SqlError && !(error instanceof StatementCountError), sql);
          assert.match(error.message, pattern, sql);
          return true;
        },
      );
    }
  });

  test('kinds: writes hidden in a query-looking statement are not queries', () => {
    const kind = (sql: string) => singleStatement(sql).kind;
    assert.equal(kind('with x as (select 1) select * from x'), 'query');
    assert.equal(kind('with x as (update t set a = 1 returning *) select * from x'), 'other');
    assert.equal(kind('with x as (merge into t using s on true when matched then delete) select 1'), 'other');
    assert.equal(kind('select 1 as a into t2'), 'other');
    assert.equal(kind('select "into", "update" from t'), 'query');
    assert.equal(kind('((values (1)))'), 'query');
    assert.equal(kind('show search_path'), 'other');
    assert.deepEqual(singleStatement(';;select 1;').text, 'select 1');
  });
});

const postgres = testEngines().find((e) => e.name === 'postgres');

describe('the split agrees with the server', { skip: postgres === undefined }, () => {
  let w: TestWarehouse;
  let s: Session;
  before(async () => {
    w = await postgres!.create();
    s = await w.open();
    await s.execute('create table t(a int, "into" int, "update" int)');
  });
  after(async () => {
    await s.close();
    await w.drop();
  });

  test('what the lexer calls one statement the server runs; what it calls two, the server refuses too', async () => {
    for (const sql of [
      "select 'a;b' as x",
      "select E'\\';' as x",
      'select $$;$$ as x',
      'select /* ; /* ; */ ; */ 1 as x',
      "select U&'\\0041;' as x",
      'select "into", "update" from t',
    ]) {
      await s.query(sql);
    }
    // The session refuses these before sending them; sent anyway, the server's Parse refuses them.
    const raw = new pg.Client({ connectionString: (w.config as PostgresWarehouseConfig).url });
    await raw.connect();
    try {
      for (const sql of ["select 'a\\'; select 2", 'select 1; select 2', 'select $$x$$; select 2']) {
        assert.equal(count(sql), 2, sql);
        await assert.rejects(s.query(sql), StatementCountError, sql);
        await assert.rejects(
          raw.query({ text: sql, values: [], queryMode: 'extended' } as pg.QueryConfig),
          /cannot insert multiple commands into a prepared statement/,
        );
      }
    } finally {
      await raw.end();
    }
  });
});
