import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Session, SqlError, StatementCountError } from '../dialect.ts';
import { openDuckDbSession } from './session.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-statements-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('Session.singleStatement (DuckDB parser, nothing bound or run)', () => {
  let s: Session;
  before(async () => {
    s = await openDuckDbSession(':memory:');
    await s.execute('create table t(id int)');
  });
  after(() => s.close());

  test('one query, with a trailing semicolon and comments, is one statement; its text is ready to wrap', async () => {
    for (const [sql, text] of [
      ['select 1', 'select 1'],
      ['select 1;', 'select 1'],
      ['select 1;;\n', 'select 1'],
      ['select 1; -- done\n/* end */', 'select 1'],
      ['-- lead\nselect 1 -- tail', '-- lead\nselect 1 -- tail'],
      ['select \'a;b\' as x, $$c;d$$ as y, "e;" from t;', 'select \'a;b\' as x, $$c;d$$ as y, "e;" from t'],
      ['with a as (select 1) select * from a', 'with a as (select 1) select * from a'],
      ['values (1), (2)', 'values (1), (2)'],
      ['from t', 'from t'],
    ] as const) {
      const one = await s.singleStatement(sql);
      assert.equal(one.kind, 'query', sql);
      assert.equal(one.text, text, sql);
    }
  });

  test('other statements are one statement of kind other, named by their keyword', async () => {
    for (const [sql, keyword] of [
      ['drop table t', 'DROP'],
      ["attach ':memory:' as x", 'ATTACH'],
      ["copy (select 1) to 'x.csv'", 'COPY'],
      ['/* c */ insert into t values (1)', 'INSERT'],
      ['pragma version', 'PRAGMA'],
      ['set threads = 1', 'SET'],
    ] as const) {
      const one = await s.singleStatement(sql);
      assert.deepEqual([one.kind, one.keyword], ['other', keyword], sql);
    }
    assert.deepEqual(await s.query('select count(*)::int as n from t'), [{ n: 0 }], 'nothing ran');
  });

  test('several statements: StatementCountError with the count and the line the second starts on', async () => {
    const injected = "select * from t where id = '3917';\n  DROP TABLE t; --'";
    await assert.rejects(s.singleStatement(injected), (error: unknown) => {
      assert.ok(error instanceof StatementCountError);
      assert.equal(error.count, 2);
      assert.equal(error.secondLine, 2);
      assert.equal(error.sql, injected);
      return true;
    });
    await assert.rejects(s.singleStatement('select 1; select 2; select 3'), { name: 'StatementCountError' });
    await assert.rejects(s.singleStatement('-- nothing here\n;'), (error: unknown) => {
      assert.ok(error instanceof StatementCountError);
      assert.equal(error.count, 0);
      return true;
    });
    assert.deepEqual(
      await s.query("select count(*)::int as n from information_schema.tables where table_name = 't'"),
      [{ n: 1 }],
    );
  });

  test('a syntax error is a SqlError with the line', async () => {
    await assert.rejects(s.singleStatement("select 1,\n 'unterminated"), (error: unknown) => {
      assert.ok(error instanceof SqlError && !(error instanceof StatementCountError));
      assert.match(error.message, /Parser Error: unterminated quoted string.*\(line 2\)/);
      return true;
    });
  });

  test('a statement it refuses is never bound (binding EXPORT DATABASE would create the folder)', async () => {
    const target = join(dir, 'exported');
    const one = await s.singleStatement(`export database '${target}'`);
    assert.equal(one.kind, 'other');
    assert.equal(existsSync(target), false);
  });
});

describe('Session.execute and query run exactly one statement', () => {
  test('a text with several statements is refused before any of it runs', async () => {
    const s = await openDuckDbSession(':memory:');
    try {
      await s.execute('create table keep(id int)');
      await assert.rejects(s.execute('create table extra(id int); drop table keep'), StatementCountError);
      await assert.rejects(s.query('select 1; drop table keep'), StatementCountError);
      await assert.rejects(
        s.transaction((tx) => tx.execute('select 1; drop table keep')),
        StatementCountError,
      );
      const tables = await s.query<{ name: string }>(
        'select table_name as name from information_schema.tables order by 1',
      );
      assert.deepEqual(tables, [{ name: 'keep' }]);
      await s.execute('insert into keep values (1);');
      assert.deepEqual(await s.query('select id from keep; -- trailing comment'), [{ id: 1 }]);
    } finally {
      await s.close();
    }
  });
});

describe('a read-only session (previews)', () => {
  const path = join(dir, 'warehouse.duckdb');
  const outside = join(dir, 'outside.csv');
  before(async () => {
    const w = await openDuckDbSession(path);
    await w.execute('create table t as select 1 as id');
    await w.close();
  });

  test('reads the warehouse, and can neither change it nor touch a file outside it', async () => {
    const r = await openDuckDbSession(path, { readOnly: true });
    try {
      assert.deepEqual(await r.query('select id from t'), [{ id: 1 }]);
      for (const [sql, pattern] of [
        ['drop table t', /read-only/],
        ['insert into t values (2)', /read-only/],
        [`copy (select 1) to '${outside}'`, /disabled by configuration/],
        [`attach '${join(dir, 'other.duckdb')}' as other`, /disabled by configuration/],
        ["select * from read_csv('/etc/passwd')", /disabled by configuration/],
        ["select * from read_text('/etc/hostname')", /disabled by configuration/],
        ['set enable_external_access = true', /configuration has been locked/],
        ['install json', /disabled by configuration/],
      ] as const) {
        await assert.rejects(r.execute(sql), (error: unknown) => {
          assert.ok(error instanceof SqlError, sql);
          assert.match(error.message, pattern, sql);
          return true;
        });
      }
      assert.deepEqual(await r.query('select id from t'), [{ id: 1 }]);
    } finally {
      await r.close();
    }
    assert.equal(existsSync(outside), false);
    assert.equal(existsSync(join(dir, 'other.duckdb')), false);
  });
});
