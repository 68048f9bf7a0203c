/**
 * What every warehouse engine promises (src/engine/dialect.ts, engine.ts), proved on the real engines:
 * DuckDB and the throwaway PostgreSQL of `npm test` (test/helpers/engines.ts). Where the engines spell
 * a thing differently (a statement only one of them has, a query that would fail if run), the case
 * names its spelling per engine; the promise checked is the same.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type Session,
  SqlError,
  StatementCancelledError,
  StatementCountError,
} from '../src/engine/dialect.ts';
import { openDuckDbSession } from '../src/engine/duckdb/session.ts';
import { applyStatements } from '../src/run/materializations/incremental.ts';
import { type TestEngine, type TestWarehouse, testEngines } from './helpers/engines.ts';

const dir = mkdtempSync(join(tmpdir(), 'vaultline-conformance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Engine-specific spellings of the same case. */
interface Flavour {
  /** Statements only this engine has, each one statement of kind other. */
  others: [string, string][];
  /** Queries only this engine has. */
  queries: string[];
  /** A query that fails whenever it runs a row of t (id 1), and its result types (queryColumns). */
  neverRun: { sql: string; types: string[] };
  /** A statement that runs for minutes unless cancelled, and how to tell it is running. */
  long: string;
  running(session: Session, sql: string): Promise<boolean>;
  /** Column types to round-trip through the catalog into CREATE TABLE. */
  types: string[];
  /** A read-only statement reading a file outside the warehouse, and the refusal. */
  readsFile: [string, RegExp][];
  readOnlyRefusals: [string, RegExp][];
}

const FLAVOURS: Record<TestEngine['name'], Flavour> = {
  duckdb: {
    others: [
      ["attach ':memory:' as x", 'ATTACH'],
      ['pragma version', 'PRAGMA'],
      ['set threads = 1', 'SET'],
    ],
    queries: ['from t'],
    neverRun: {
      sql: `WITH x AS (SELECT id, label, CAST(NULL AS DECIMAL(10, 2)) AS price FROM t)
         SELECT id, upper(label) AS label, price, now() AS seen FROM x WHERE error('never run') IS NULL`,
      types: ['INTEGER', 'VARCHAR', 'DECIMAL(10,2)', 'TIMESTAMP WITH TIME ZONE'],
    },
    long: 'SELECT sum(a.range * b.range) AS n FROM range(100000) a, range(1000000) b',
    // DuckDB has no view of running statements; the abort comes after the statement started or before
    // (then it never starts) — both must reject with StatementCancelledError.
    running: async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return true;
    },
    types: [
      'DECIMAL(18,3)',
      'VARCHAR[]',
      'JSON',
      'TIMESTAMP WITH TIME ZONE',
      'STRUCT(x INTEGER, "y z" VARCHAR)',
    ],
    readsFile: [
      ["select * from read_text('/etc/hostname')", /disabled by configuration/],
      ["select * from read_csv('/etc/passwd')", /disabled by configuration/],
    ],
    readOnlyRefusals: [
      ['drop table t', /read-only/],
      ['insert into t values (2)', /read-only/],
      ["copy (select 1) to '__outside__'", /disabled by configuration/],
      ['set enable_external_access = true', /configuration has been locked/],
    ],
  },
  postgres: {
    others: [
      ['do $$ begin perform 1; end $$', 'DO'],
      ['set search_path = public', 'SET'],
      ['with d as (delete from t returning *) select * from d', 'WITH'],
      ['with d as (select 1) insert into t select * from d', 'WITH'],
      ['select * into t2 from t', 'SELECT'],
      ['select * from t for update', 'SELECT'],
      ['explain analyze delete from t', 'EXPLAIN'],
      // One statement although it holds semicolons: a SQL-standard function body (psql's rule).
      ['create function f() returns int language sql begin atomic select 1; select 2; end', 'CREATE'],
      ['create rule r as on insert to t do also (delete from t; delete from t)', 'CREATE'],
    ],
    queries: ["select U&'d\\0061t;a' as u, B'101' as b, X'1F' as x, 1.5e3 as e", 'select $1::int'],
    neverRun: {
      sql: `WITH x AS (SELECT id, label, CAST(NULL AS numeric(10, 2)) AS price FROM t)
         SELECT id, upper(label) AS label, price, now() AS seen, '{1}'::text[] AS tags FROM x WHERE 1 / (id - id) = 1`,
      types: ['integer', 'text', 'numeric(10,2)', 'timestamp with time zone', 'text[]'],
    },
    long: 'SELECT pg_sleep(30)',
    running: async (session, sql) => {
      const rows = await session.query(
        "SELECT 1 FROM pg_stat_activity WHERE query = $1 AND state = 'active' AND pid <> pg_backend_pid()",
        { params: [sql] },
      );
      return rows.length > 0;
    },
    types: [
      'numeric(18,3)',
      'text[]',
      'jsonb',
      'timestamp with time zone',
      'character varying(20)',
      'double precision',
    ],
    readsFile: [
      ["select pg_read_file('/etc/hostname')", /refuses pg_read_file/],
      ["select * from pg_catalog.pg_ls_dir('.')", /refuses pg_ls_dir/],
      ['select "pg_read_binary_file"(\'/etc/hostname\')', /refuses pg_read_binary_file/],
      [
        "select query_to_xml('select pg_read_file(''/etc/hostname'')', true, true, '')",
        /refuses query_to_xml/,
      ],
      ["select lo_import('/etc/hostname')", /refuses lo_import/],
    ],
    readOnlyRefusals: [
      ['drop table t', /runs queries only.*DROP/],
      ['insert into t values (2)', /runs queries only.*INSERT/],
      ["copy (select 1) to '__outside__'", /runs queries only.*COPY/],
      ["copy t from program 'true'", /runs queries only.*COPY/],
      ['set default_transaction_read_only = off', /runs queries only.*SET/],
      ["select set_config('default_transaction_read_only', 'off', false)", /refuses set_config/],
      ['with d as (delete from t returning *) select * from d', /runs queries only/],
      // Refused by the server: the transaction is READ ONLY.
      ["select nextval('s')", /read-only transaction/],
      ['select * from t for share', /read-only transaction/],
    ],
  },
};

/** Runs `sql`, expecting a SqlError; returns it. */
async function failure(run: Promise<unknown>): Promise<SqlError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof SqlError, `not a SqlError: ${error}`);
    return error;
  }
  assert.fail('did not fail');
}

for (const e of testEngines()) {
  const flavour = FLAVOURS[e.name];
  const { dialect } = e.engine;

  describe(`${e.name}: one statement at a time`, () => {
    let w: TestWarehouse;
    let s: Session;
    before(async () => {
      w = await e.create();
      s = await w.open();
      await s.execute('create table t(id int, label text)');
    });
    after(async () => {
      await s.close();
      await w.drop();
    });

    test('singleStatement: one query, with a trailing semicolon and comments; its text is ready to wrap', async () => {
      for (const [sql, text] of [
        ['select 1', 'select 1'],
        ['select 1;', 'select 1'],
        ['select 1;;\n', 'select 1'],
        ['select 1; -- done\n/* end */', 'select 1'],
        ['-- lead\nselect 1 -- tail', '-- lead\nselect 1 -- tail'],
        ['select \'a;b\' as x, $$c;d$$ as y, "e;" from t;', 'select \'a;b\' as x, $$c;d$$ as y, "e;" from t'],
        ["select E'a\\';b' as x; ", "select E'a\\';b' as x"],
        ['select /* a /* b; */ c; */ 1;', 'select /* a /* b; */ c; */ 1'],
        ['select $tag$ a $$; $tag$ as x', 'select $tag$ a $$; $tag$ as x'],
        ['with a as (select 1) select * from a', 'with a as (select 1) select * from a'],
        ['values (1), (2)', 'values (1), (2)'],
        ['table t', 'table t'],
        ['(select 1) union all (select 2);', '(select 1) union all (select 2)'],
        ...flavour.queries.map((sql) => [sql, sql] as const),
      ] as const) {
        const one = await s.singleStatement(sql);
        assert.equal(one.kind, 'query', sql);
        assert.equal(one.text, text, sql);
      }
    });

    test('singleStatement: other statements are one statement of kind other, named by their keyword; nothing runs', async () => {
      for (const [sql, keyword] of [
        ['drop table t', 'DROP'],
        ['create table made_by_parse(id int)', 'CREATE'],
        ["copy (select 1) to 'x.csv'", 'COPY'],
        ['/* c */ insert into t values (1)', 'INSERT'],
        ['update t set id = 2', 'UPDATE'],
        ...flavour.others,
      ] as const) {
        const one = await s.singleStatement(sql);
        assert.deepEqual([one.kind, one.keyword], ['other', keyword], sql);
      }
      assert.deepEqual(await s.query('select count(*) as n from t'), [{ n: 0n }], 'nothing ran');
      assert.equal(
        await e.engine.catalog.relationKind(s, e.name === 'duckdb' ? 'main' : 'public', 'made_by_parse'),
        undefined,
      );
    });

    test('singleStatement: several statements give StatementCountError with the count and the line the second starts on', async () => {
      const injected = "select * from t where id = '3917';\n  DROP TABLE t; --'";
      const error = await failure(s.singleStatement(injected));
      assert.ok(error instanceof StatementCountError);
      assert.deepEqual([error.count, error.secondLine, error.sql], [2, 2, injected]);
      const three = await failure(s.singleStatement('select 1; select 2; select 3'));
      assert.ok(three instanceof StatementCountError && three.count === 3);
      const none = await failure(s.singleStatement('-- nothing here\n;'));
      assert.ok(none instanceof StatementCountError && none.count === 0);
      assert.ok(await e.engine.catalog.relationKind(s, e.name === 'duckdb' ? 'main' : 'public', 't'));
    });

    test('singleStatement: a statement that does not parse is a SqlError naming the line', async () => {
      const error = await failure(s.singleStatement("select 1,\n 'unterminated"));
      assert.ok(!(error instanceof StatementCountError));
      assert.match(error.message, /unterminated quoted string.*\(line 2\)/);
    });

    test('execute and query refuse a text with several statements before any of it runs', async () => {
      await s.execute('create table keep(id int)');
      await assert.rejects(s.execute('create table extra(id int); drop table keep'), StatementCountError);
      await assert.rejects(s.query('select 1; drop table keep'), StatementCountError);
      await assert.rejects(
        s.transaction((tx) => tx.execute('select 1; drop table keep')),
        StatementCountError,
      );
      await assert.rejects(s.execute('-- only a comment'), StatementCountError);
      const schema = e.name === 'duckdb' ? 'main' : 'public';
      assert.equal(await e.engine.catalog.relationKind(s, schema, 'keep'), 'table');
      assert.equal(await e.engine.catalog.relationKind(s, schema, 'extra'), undefined);
      await s.execute('insert into keep values (1);');
      assert.deepEqual(await s.query('select id from keep; -- trailing comment'), [{ id: 1 }]);
    });

    test('bind parameters $1 … are values, never SQL', async () => {
      await s.execute('create table params(n bigint, v text, happened timestamp, ok boolean)');
      const at = new Date('2026-01-02T03:04:05.678Z');
      await s.execute('insert into params values (CAST($1 AS BIGINT), $2, CAST($3 AS TIMESTAMP), $4)', {
        params: [9007199254740993n, "it's'); drop table params; --", at, true],
      });
      await s.execute('insert into params values ($1, $2, $3, $4)', { params: [null, null, null, null] });
      assert.deepEqual(await s.query('select * from params order by n nulls last'), [
        { n: 9007199254740993n, v: "it's'); drop table params; --", happened: at, ok: true },
        { n: null, v: null, happened: null, ok: null },
      ]);
      assert.deepEqual(await s.query('select CAST($1 AS INTEGER) + 1 AS n', { params: [41] }), [{ n: 42 }]);
    });

    test('literal() reads back as the same value', async () => {
      const text = 'it\'s \\ a "test"; -- not a comment\n\t☃ ß';
      const [row] = await s.query(
        `select ${dialect.literal(text)} as t, ${dialect.literal(1.5)} as f, ${dialect.literal(true)} as b, ${dialect.literal(null)} as z, ${dialect.literal(Number.NaN)} as nan, ${dialect.literal(Number.NEGATIVE_INFINITY)} as inf`,
      );
      assert.equal(row?.t, text);
      assert.equal(Number(row?.f), 1.5);
      assert.deepEqual(
        [row?.b, row?.z, row?.nan, row?.inf],
        [true, null, Number.NaN, Number.NEGATIVE_INFINITY],
      );
      const [quoted] = await s.query(`select 1 as ${dialect.quoteIdentifier('we"ird name')}`);
      assert.deepEqual(Object.keys(quoted ?? {}), ['we"ird name']);
    });

    test('maxIdentifierLength: a name that long is kept, a longer one is cut (PostgreSQL) or kept (DuckDB)', async () => {
      const limit = dialect.maxIdentifierLength;
      const fits = 'f'.repeat(Number.isFinite(limit) ? limit : 100);
      const longer = `${'l'.repeat(Number.isFinite(limit) ? limit : 100)}_beyond`;
      const [row] = await s.query(
        `select 1 as ${dialect.quoteIdentifier(fits)}, 2 as ${dialect.quoteIdentifier(longer)}`,
      );
      assert.deepEqual(Object.keys(row ?? {}), [
        fits,
        Number.isFinite(limit) ? longer.slice(0, limit) : longer,
      ]);
    });

    test('byteOrder sorts, and takes min/max of, text by code point whatever the collation', async () => {
      // The PostgreSQL test databases have an en-US collation: 'a' < 'B' there, 'B' < 'a' by code point.
      const words = ['b', 'B', 'a', ' z', '_x', '1', 'é', 'e', 'Z', 'ab', 'a b', '☃', 'ß'];
      const values = words.map((w) => `(${dialect.literal(w)})`).join(', ');
      const byCodePoint = [...words].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      const ordered = await s.query<{ w: string }>(
        `select w from (values ${values}) as v(w) order by ${dialect.byteOrder('w')}`,
      );
      assert.deepEqual(
        ordered.map((r) => r.w),
        byCodePoint,
      );
      const [extremes] = await s.query(
        `select min(${dialect.byteOrder('w')}) as lo, max(${dialect.byteOrder('w')}) as hi from (values ${values}) as v(w)`,
      );
      assert.deepEqual(extremes, { lo: byCodePoint[0], hi: byCodePoint.at(-1) });
    });
  });

  describe(`${e.name}: transactions and connections`, () => {
    let w: TestWarehouse;
    let s: Session;
    before(async () => {
      w = await e.create();
      s = await w.open();
    });
    after(async () => {
      await s.close();
      await w.drop();
    });

    test('a transaction commits, and rolls back DDL and DML when its work throws (supportsTransactionalDdl)', async () => {
      assert.equal(dialect.capabilities.supportsTransactionalDdl, true);
      await s.execute('create table tx as select 1 as id');
      await s.transaction(async (tx) => {
        await tx.execute('insert into tx values (2)');
      });
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.execute('drop table tx');
          await tx.execute('create table tx as select 99 as id');
          await tx.execute('create table tx_new(id int)');
          await tx.execute('select * from missing_relation');
        }),
        SqlError,
      );
      assert.deepEqual(await s.query('select id from tx order by id'), [{ id: 1 }, { id: 2 }]);
      assert.equal(
        await e.engine.catalog.relationKind(s, e.name === 'duckdb' ? 'main' : 'public', 'tx_new'),
        undefined,
      );
    });

    test('a nested transaction joins the outer one: undone when the outer one fails', async () => {
      await s.execute('create table nest(id int)');
      await assert.rejects(
        s.transaction(async (outer) => {
          await outer.transaction(async (inner) => {
            await inner.execute('insert into nest values (1)');
            // Inside a transaction, withConnection runs on the transaction's connection.
            await inner.withConnection((same) => same.execute('insert into nest values (2)'));
          });
          assert.deepEqual(await outer.query('select count(*) as n from nest'), [{ n: 2n }]);
          throw new Error('outer fails');
        }),
        /outer fails/,
      );
      assert.deepEqual(await s.query('select count(*) as n from nest'), [{ n: 0n }]);
    });

    test('a transaction session refuses statements once it has ended', async () => {
      let kept: Session | undefined;
      await s.transaction(async (tx) => {
        kept = tx;
      });
      await assert.rejects(kept!.execute('select 1'), /already ended/);
    });

    test('withConnection: connections of their own, working at the same time', async () => {
      await s.execute('create table iso(id int)');
      await s.withConnection((a) =>
        a.transaction(async (ta) => {
          await ta.execute('insert into iso values (1)');
          // Another connection runs while the first holds its transaction open: it neither waits for
          // it (the test would never end) nor sees its uncommitted row.
          const seen = await s.withConnection((b) => b.query('select count(*) as n from iso'));
          assert.deepEqual(seen, [{ n: 0n }]);
        }),
      );
      assert.deepEqual(await s.query('select count(*) as n from iso'), [{ n: 1n }]);
    });

    test('a statement whose signal is aborted never starts', async () => {
      await s.execute('create table never(id int)');
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(
        s.execute('insert into never values (1)', { signal: controller.signal }),
        StatementCancelledError,
      );
      await assert.rejects(
        s.transaction((tx) => tx.execute('insert into never values (1)', { signal: controller.signal })),
        StatementCancelledError,
      );
      assert.deepEqual(await s.query('select count(*) as n from never'), [{ n: 0n }]);
    });

    test('a running statement is cancelled by its signal; the session goes on', {
      timeout: 25_000,
    }, async () => {
      const controller = new AbortController();
      const running = s.query(flavour.long, { signal: controller.signal });
      running.catch(() => {});
      // Watched from another connection: the root session's own connection is busy running it.
      while (!(await s.withConnection((other) => flavour.running(other, flavour.long))))
        await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await assert.rejects(running, StatementCancelledError);
      assert.deepEqual(await s.query('select 1 as one'), [{ one: 1 }]);
    });

    test('append: 100,000 rows through the bulk path, cast to the column types, NULL as NULL', async () => {
      await s.execute(
        'create table bulk(id bigint, label text, amount decimal(18,3), happened timestamp, ok boolean)',
      );
      const odd = 'tab\there, newline\nthere, backslash \\N \\ and "quotes", ☃';
      const rows = Array.from({ length: 100_000 }, (_, i) => [
        String(i),
        i === 7 ? odd : i % 10 === 0 ? null : `row ${i}`,
        `${i}.125`,
        `2026-01-01 00:00:${String(i % 60).padStart(2, '0')}.000000`,
        i % 2 === 0 ? 'true' : 'false',
      ]);
      await s.append(e.name === 'duckdb' ? 'main' : 'public', 'bulk', rows);
      const [stats] = await s.query(
        'select count(*) as n, count(label) as labels, sum(id) as ids, CAST(sum(amount) AS VARCHAR) as amount, sum(CASE WHEN ok THEN 1 ELSE 0 END) as oks from bulk',
      );
      assert.deepEqual(
        {
          n: stats?.n,
          labels: stats?.labels,
          ids: String(stats?.ids),
          amount: stats?.amount,
          oks: Number(stats?.oks),
        },
        { n: 100_000n, labels: 90_000n, ids: '4999950000', amount: '4999962500.000', oks: 50_000 },
      );
      const [seven] = await s.query('select label, happened from bulk where id = 7');
      assert.deepEqual(seven, { label: odd, happened: new Date('2026-01-01T00:00:07Z') });
    });

    test('append inside a transaction that rolls back leaves nothing', async () => {
      await s.execute('create table bulk_tx(id bigint, label text)');
      const schema = e.name === 'duckdb' ? 'main' : 'public';
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.append(schema, 'bulk_tx', [
            ['1', 'a'],
            ['2', null],
          ]);
          assert.deepEqual(await tx.query('select count(*) as n from bulk_tx'), [{ n: 2n }]);
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.deepEqual(await s.query('select count(*) as n from bulk_tx'), [{ n: 0n }]);
      await assert.rejects(s.append(schema, 'bulk_tx', [['not a number', 'x']]), SqlError);
    });
  });

  describe(`${e.name}: capabilities`, () => {
    let w: TestWarehouse;
    let s: Session;
    before(async () => {
      w = await e.create();
      s = await w.open();
    });
    after(async () => {
      await s.close();
      await w.drop();
    });

    test("the run layer's MERGE runs as generated (supportsMerge)", async () => {
      assert.equal(dialect.capabilities.supportsMerge, true);
      const schema = e.name === 'duckdb' ? 'main' : 'public';
      for (const statement of [
        'create table target(id int, v text)',
        "insert into target values (1, 'a'), (2, 'b')",
      ])
        await s.execute(statement);
      await s.transaction(async (tx) => {
        await tx.execute('create temporary table stage(id int, v text)');
        await tx.execute("insert into stage values (2, 'B'), (3, 'c')");
        const target = { schema, name: 'target', existing: 'table' as const };
        for (const uniqueKey of [['id'], ['id', 'v']]) {
          const [merge] = applyStatements({
            dialect,
            target,
            temp: 'stage',
            columns: ['id', 'v'],
            strategy: 'merge',
            uniqueKey,
          });
          assert.match(merge!, /^MERGE INTO/);
          await tx.execute(merge!);
        }
      });
      assert.deepEqual(await s.query('select * from target order by id'), [
        { id: 1, v: 'a' },
        { id: 2, v: 'B' },
        { id: 3, v: 'c' },
      ]);
    });

    test('createOrReplace says whether CREATE OR REPLACE TABLE and VIEW exist', async () => {
      const table = s.execute('CREATE OR REPLACE TABLE cor AS SELECT 1 AS a');
      if (dialect.capabilities.createOrReplace.table) await table;
      else await assert.rejects(table, SqlError);
      const view = s.execute('CREATE OR REPLACE VIEW corv AS SELECT 1 AS a');
      if (dialect.capabilities.createOrReplace.view) await view;
      else await assert.rejects(view, SqlError);
    });

    test('lateBoundViews says whether a relation a view reads can be dropped under it', async () => {
      await s.execute('CREATE TABLE lbv_base AS SELECT 1 AS a');
      await s.execute('CREATE VIEW lbv AS SELECT a FROM lbv_base');
      const drop = s.execute('DROP TABLE lbv_base');
      if (dialect.capabilities.lateBoundViews) await drop;
      else await assert.rejects(drop, SqlError);
    });
  });

  describe(`${e.name}: catalog`, () => {
    let w: TestWarehouse;
    let s: Session;
    const schema = e.name === 'duckdb' ? 'main' : 'public';
    before(async () => {
      w = await e.create();
      s = await w.open();
      await s.execute('CREATE TABLE t (id INTEGER, label TEXT)');
      await s.execute("INSERT INTO t VALUES (1, 'a')");
      await s.execute('CREATE VIEW v AS SELECT * FROM t');
    });
    after(async () => {
      await s.close();
      await w.drop();
    });

    test('relationKind: table, view, or nothing', async () => {
      const kind = (name: string) => e.engine.catalog.relationKind(s, schema, name);
      assert.deepEqual(
        [await kind('t'), await kind('v'), await kind('nothing'), await kind('T')],
        ['table', 'view', undefined, undefined],
      );
    });

    test('column types read from the catalog create the same columns again (CREATE TABLE, ADD COLUMN)', async () => {
      const columns = flavour.types.map((type, i) => `c${i} ${type}`);
      await s.execute(`CREATE TABLE typed (${columns.join(', ')})`);
      const read = await e.engine.catalog.columns(s, schema, 'typed');
      assert.equal(read.length, flavour.types.length);
      await s.execute(
        `CREATE TABLE again (${read.map((c) => `${dialect.quoteIdentifier(c.name)} ${c.dataType}`).join(', ')})`,
      );
      assert.deepEqual(await e.engine.catalog.columns(s, schema, 'again'), read);
      await s.execute('CREATE TABLE grown (id INTEGER)');
      for (const c of read)
        await s.execute(`ALTER TABLE grown ADD COLUMN ${dialect.quoteIdentifier(c.name)} ${c.dataType}`);
      assert.deepEqual((await e.engine.catalog.columns(s, schema, 'grown')).slice(1), read);
    });

    test('tempColumns: a temporary table of this transaction', async () => {
      const columns = await s.transaction(async (tx) => {
        await tx.execute('CREATE TEMPORARY TABLE scratch_rows AS SELECT id, label FROM t');
        return e.engine.catalog.tempColumns(tx, 'scratch_rows');
      });
      assert.deepEqual(
        columns.map((c) => c.name),
        ['id', 'label'],
      );
    });

    test("queryColumns: a query's columns and types without running it or creating anything; a query that does not bind throws", async () => {
      const columns = await e.engine.catalog.queryColumns(s, flavour.neverRun.sql);
      assert.deepEqual(
        columns.map((c) => c.dataType),
        flavour.neverRun.types,
      );
      assert.deepEqual(
        columns.slice(0, 4).map((c) => c.name),
        ['id', 'label', 'price', 'seen'],
      );
      await assert.rejects(e.engine.catalog.queryColumns(s, 'SELECT nope FROM t'), SqlError);
      // Inside a transaction a failing describe leaves the transaction usable.
      await s.transaction(async (tx) => {
        await assert.rejects(e.engine.catalog.queryColumns(tx, 'SELECT nope FROM t'), SqlError);
        assert.deepEqual(await tx.query('SELECT id FROM t'), [{ id: 1 }]);
      });
    });
  });

  describe(`${e.name}: describeError`, () => {
    let w: TestWarehouse;
    let s: Session;
    before(async () => {
      w = await e.create();
      s = await w.open();
      await s.execute("CREATE TABLE t AS SELECT 1 AS id, 'abc' AS name");
    });
    after(async () => {
      await s.close();
      await w.drop();
    });
    const describeFailure = async (sql: string) => {
      const error = await failure(s.execute(sql));
      return dialect.describeError(error.cause);
    };

    test('an unknown column: its name, the candidates, the statement line', async () => {
      const info = await describeFailure('SELECT id,\n  nme\nFROM t');
      assert.deepEqual(
        { kind: info.kind, name: info.name, candidates: info.candidates, line: info.line },
        { kind: 'unknown-column', name: 'nme', candidates: ['name'], line: 2 },
      );
      assert.doesNotMatch(info.message, /LINE/);
    });

    test('an unknown table, a conversion, a syntax error, anything else', async () => {
      const table = await describeFailure('SELECT *\nFROM tt');
      assert.deepEqual([table.kind, table.name, table.line], ['unknown-relation', 'tt', 2]);
      assert.equal((await describeFailure("SELECT CAST('x' AS INTEGER)")).kind, 'conversion');
      assert.equal((await describeFailure('SELEC 1')).kind, 'syntax');
      assert.equal((await describeFailure('SELECT sum(id), name FROM t')).kind, 'other');
      const unparsed = await failure(s.singleStatement("SELECT 'open"));
      assert.equal(dialect.describeError(unparsed.cause ?? unparsed).kind, 'syntax');
    });
  });

  describe(`${e.name}: a read-only session (previews)`, () => {
    let w: TestWarehouse;
    const outside = join(dir, `${e.name}-outside.csv`);
    before(async () => {
      w = await e.create();
      const writer = await w.open();
      await writer.execute('create table t as select 1 as id');
      if (e.name === 'postgres') await writer.execute('create sequence s');
      await writer.close();
    });
    after(() => w.drop());

    test('reads the warehouse, and can neither change it nor touch a file outside it', async () => {
      const r = await w.open({ readOnly: true });
      try {
        assert.deepEqual(await r.query('select id from t'), [{ id: 1 }]);
        for (const [sql, pattern] of [...flavour.readOnlyRefusals, ...flavour.readsFile]) {
          const text = sql.replace('__outside__', outside);
          const error = await failure(r.execute(text));
          assert.match(error.message, pattern, text);
        }
        await assert.rejects(r.append(e.name === 'duckdb' ? 'main' : 'public', 't', [['2']]), SqlError);
        await assert.rejects(
          r.transaction((tx) => tx.execute('insert into t values (3)')),
          SqlError,
        );
        assert.deepEqual(await r.query('select id from t'), [{ id: 1 }]);
      } finally {
        await r.close();
      }
      assert.equal(existsSync(outside), false);
    });
  });

  describe(`${e.name}: seeds, landed JSON and export`, () => {
    let w: TestWarehouse;
    let s: Session;
    const schema = e.name === 'duckdb' ? 'main' : 'public';
    before(async () => {
      w = await e.create();
      s = await w.open();
    });
    after(async () => {
      await s.close();
      await w.drop();
    });

    test('a seed CSV: header, quoting, empty as NULL, types sniffed as DuckDB does or pinned', async () => {
      const csv = join(dir, `${e.name}-seed.csv`);
      writeFileSync(
        csv,
        '\ufeffid,name,rate,flag,day,at,code,empty,mixed,pinned\r\n' +
          '1,a,1.50,true,2024-01-02,2024-01-02 03:04:05,007,,1,2.5\r\n' +
          '2,"b,""c""\nd",2,FALSE,2024-02-29,2024-01-02T03:04,010,,x,\r\n',
      );
      const pinned = { pinned: e.name === 'duckdb' ? 'DECIMAL(5,2)' : 'numeric(5,2)' };
      const rows = await s.transaction(async (tx) => {
        await e.engine.files.stageCsv(tx, csv, pinned);
        await tx.execute(`CREATE TABLE seed AS ${e.engine.files.csvSelect(csv, pinned)}`);
        return tx.query('SELECT * FROM seed ORDER BY id');
      });
      const types = (await e.engine.catalog.columns(s, schema, 'seed')).map((c) => c.dataType.toLowerCase());
      const same: Record<string, string> = {
        varchar: 'text',
        double: 'double precision',
        'decimal(5,2)': 'numeric(5,2)',
        'timestamp without time zone': 'timestamp',
      };
      assert.deepEqual(
        types.map((t) => same[t] ?? t),
        [
          'bigint',
          'text',
          'double precision',
          'boolean',
          'date',
          'timestamp',
          'text',
          'text',
          'text',
          'numeric(5,2)',
        ],
      );
      assert.deepEqual(
        rows.map((r) => ({ ...r, pinned: r.pinned === null ? null : Number(r.pinned) })),
        [
          {
            id: 1n,
            name: 'a',
            rate: 1.5,
            flag: true,
            day: new Date('2024-01-02'),
            at: new Date('2024-01-02T03:04:05Z'),
            code: '007',
            empty: null,
            mixed: '1',
            pinned: 2.5,
          },
          {
            id: 2n,
            name: 'b,"c"\nd',
            rate: 2,
            flag: false,
            day: new Date('2024-02-29'),
            at: new Date('2024-01-02T03:04:00Z'),
            code: '010',
            empty: null,
            mixed: 'x',
            pinned: null,
          },
        ],
      );
    });

    test('landed JSON without a contract: structure per object, merged, top-level fields typed', async () => {
      const raw = dialect.relation(schema, 'raw_items');
      await s.execute(
        `CREATE TABLE raw_items (_record_index BIGINT, _ingest_seq BIGINT, _record ${dialect.jsonType})`,
      );
      const objects = [
        [
          '{"id": 1, "name": "a", "score": 1.5, "ok": true, "n": null, "tags": ["x"], "big": 1}',
          '{"name": "b", "id": 2, "score": 2, "ok": false}',
        ],
        ['{"id": 3, "extra": "e", "big": 12345678901234567890, "n": null}', '{"id": 4, "name": "d"}'],
      ];
      const lj = e.engine.landedJson;
      let merged: string | null = null;
      for (const [seq, records] of objects.entries()) {
        await s.append(
          schema,
          'raw_items',
          records.map((r, i) => [String(i), String(seq + 1), r]),
        );
        const [row] = await s.query<{ structure: string }>(lj.recordsStructure(raw, seq + 1));
        assert.ok(row?.structure);
        merged = merged === null ? row.structure : lj.mergeStructures(merged, row.structure);
      }
      const inferred = lj.inferredColumns(merged, []);
      const rows = await s.query(
        `SELECT ${inferred.columns.join(', ')} FROM (SELECT *, ${inferred.record} AS __vl_record FROM ${raw}) AS __vl_source ORDER BY _ingest_seq, _record_index`,
      );
      const names = Object.keys(rows[0] ?? {});
      assert.deepEqual(names, ['id', 'name', 'score', 'ok', 'n', 'tags', 'big', 'extra']);
      assert.deepEqual(
        rows.map((r) => [r.id, r.name, r.score, r.ok, r.extra]),
        [
          [1n, 'a', 1.5, true, null],
          [2n, 'b', 2, false, null],
          [3n, null, null, null, 'e'],
          [4n, 'd', null, null, null],
        ],
      );
      // Beyond int64: exact on PostgreSQL (numeric). DuckDB types it UBIGINT → BIGINT and reads NULL.
      if (e.name === 'postgres') assert.equal(rows[2]?.big, '12345678901234567890');
      assert.deepEqual(lj.inferredColumns(null, [{ name: 'id' }]).record, undefined);
      // `_record` reads back exactly as appended.
      const [first] = await s.query(`SELECT _record FROM ${raw} WHERE _ingest_seq = 1 AND _record_index = 0`);
      assert.equal(first?._record, objects[0]![0]);
    });

    test('export: CSV and Parquet with exact values', async () => {
      const decimal = e.name === 'duckdb' ? 'DECIMAL(18,3)' : 'numeric(18,3)';
      await s.execute(
        `CREATE TABLE exported (id BIGINT, amount ${decimal}, label TEXT, happened TIMESTAMP, ok BOOLEAN)`,
      );
      await s.append(schema, 'exported', [
        [
          '9007199254740993',
          '123456789012345.125',
          'line\nbreak, "quoted"',
          '2026-01-02 03:04:05.123456',
          'true',
        ],
        ['2', null, null, null, 'false'],
      ]);
      const columns = await e.engine.catalog.columns(s, schema, 'exported');
      const relation = dialect.relation(schema, 'exported');
      const csv = join(dir, `${e.name}-export.csv`);
      const parquet = join(dir, `${e.name}-export.parquet`);
      assert.equal(
        await e.engine.export.exportRelation(s, { relation, columns, path: csv, format: 'csv' }),
        2,
      );
      assert.equal(
        await e.engine.export.exportRelation(s, { relation, columns, path: parquet, format: 'parquet' }),
        2,
      );
      const text = readFileSync(csv, 'utf8');
      assert.match(
        text,
        /^id,amount,label,happened,ok\n9007199254740993,123456789012345\.125,"line\nbreak, ""quoted""",2026-01-02 03:04:05\.123456,true\n2,,,,false\n$/,
      );
      const reader = await openDuckDbSession(':memory:');
      try {
        const rows = await reader.query(
          `SELECT id, CAST(amount AS VARCHAR) AS amount, label, CAST(happened AS VARCHAR) AS happened, ok, typeof(amount) AS amount_type FROM read_parquet(${reader.dialect.literal(parquet)}) ORDER BY id DESC`,
        );
        assert.deepEqual(rows, [
          {
            id: 9007199254740993n,
            amount: '123456789012345.125',
            label: 'line\nbreak, "quoted"',
            happened: '2026-01-02 03:04:05.123456',
            ok: true,
            amount_type: 'DECIMAL(18,3)',
          },
          { id: 2n, amount: null, label: null, happened: null, ok: false, amount_type: 'DECIMAL(18,3)' },
        ]);
      } finally {
        await reader.close();
      }
    });
  });
}
