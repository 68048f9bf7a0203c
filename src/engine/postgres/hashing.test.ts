import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { testEngines } from '../../../test/helpers/engines.ts';
import { createPgDatabase, type PgDatabase } from '../../../test/helpers/postgres-hashing.ts';
import { UnsupportedHashAlgorithmError, UnsupportedHashTypeError } from '../hashing-errors.ts';
import { canonicalText, hashingSetupStatements, hashText } from './hashing.ts';

describe('declared types', () => {
  test('format_type spellings and aliases get the same rendering', () => {
    const same: [string, string][] = [
      ['int8', 'bigint'],
      ['INT4', 'integer'],
      ['float8', 'double precision'],
      ['float(53)', 'double precision'],
      ['float(24)', 'real'],
      ['float4', 'real'],
      ['numeric(18,3)', 'numeric'],
      ['decimal(38, 10)', 'numeric'],
      ['timestamptz', 'timestamp with time zone'],
      ['timestamp(3) with time zone', 'timestamp with time zone'],
      ['timestamp', 'timestamp without time zone'],
      ['time(6) without time zone', 'time'],
      ['character varying(20)', 'text'],
      ['VARCHAR', 'text'],
      ['bpchar', 'text'],
      ['bool', 'boolean'],
      ['pg_catalog.int2', 'smallint'],
    ];
    for (const [alias, name] of same)
      assert.equal(canonicalText('x', alias), canonicalText('x', name), alias);
  });

  test('types without canonical text are refused, saying what to cast to', () => {
    for (const type of [
      'integer[]',
      '_int4',
      'text[]',
      'bytea',
      'interval',
      'time with time zone',
      'money',
      'record',
      'mood',
      'hstore',
    ]) {
      assert.throws(
        () => canonicalText('x', type),
        (error: unknown) =>
          error instanceof UnsupportedHashTypeError &&
          error.columnType === type &&
          /cast the column in the staging model \(to text, or to_jsonb\(x\)::text/.test(error.message),
        type,
      );
    }
  });

  test('sha1 is refused (no SHA-1 in PostgreSQL’s core), naming what works', () => {
    assert.throws(
      () => hashText(`'abc'`, 'sha1'),
      (error: unknown) =>
        error instanceof UnsupportedHashAlgorithmError &&
        /md5 or sha256/.test(error.message) &&
        /pgcrypto/.test(error.message),
    );
  });
});

const onPostgres = testEngines().some((e) => e.name === 'postgres');

describe('on PostgreSQL', { skip: onPostgres ? false : 'VAULTLINE_TEST_ENGINES excludes postgres' }, () => {
  let db: PgDatabase;
  before(async () => {
    db = await createPgDatabase();
    await db.query(`CREATE TYPE mood AS ENUM ('ok')`);
    await db.query(`CREATE TABLE every_type AS SELECT 1::smallint AS c1, 2::int AS c2, 3::bigint AS c3,
      1.50::numeric(18,3) AS c4, 2.5::numeric AS c5, 0.1::float4 AS c6, 1e21::float8 AS c7, true AS c8,
      DATE '2024-02-29' AS c9, TIMESTAMP '2024-01-02 03:04:05.5' AS c10, TIMESTAMPTZ '2024-01-02 03:04:05+02' AS c11,
      TIME '12:00:01.5' AS c12, 'ß'::text AS c13, 'x'::varchar(5) AS c14, 'y'::char(3) AS c15, '{"a": 1}'::json AS c16,
      '{"a": 1}'::jsonb AS c17, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS c18, 3::float8 AS c19,
      (2^60)::float8 AS c20, 'abc'::name AS c21`);
  });
  after(() => db?.drop());

  test('every type PostgreSQL reports for a table: typed text equals vl_text’s, chosen at parse time', async () => {
    const columns = await db.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = 'every_type'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    const hashable = columns.filter((c) => c.type !== 'name');
    const sql = hashable.map(
      (c) => `${canonicalText(c.name, c.type)} AS "${c.name}", ${canonicalText(c.name)} AS "u_${c.name}"`,
    );
    const [row] = await db.query<Record<string, string>>(`SELECT ${sql.join(', ')} FROM every_type`);
    for (const c of hashable) assert.equal(row?.[`u_${c.name}`], row?.[c.name], `${c.name} ${c.type}`);
    assert.deepEqual(
      hashable.map((c) => row?.[c.name]),
      [
        '1',
        '2',
        '3',
        '1.5',
        '2.5',
        '0.10000000149011612',
        '1e+21',
        'true',
        '2024-02-29',
        '2024-01-02T03:04:05.500000Z',
        '2024-01-02T01:04:05.000000Z',
        '12:00:01.500000',
        'ß',
        'x',
        'y',
        '{"a": 1}',
        '{"a": 1}',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        '3',
        '1152921504606847000',
      ],
    );
    // name has no typed rendering but reaches vl_text(text) through its implicit cast
    const [name] = await db.query<{ t: string }>(`SELECT ${canonicalText('c21')} AS t FROM every_type`);
    assert.equal(name?.t, 'abc');
  });

  test('untyped: a literal, NULL and char(n) resolve to vl_text(text); other types are refused when hashed', async () => {
    const [row] = await db.query<Record<string, string | null>>(
      `SELECT ${canonicalText(`'lit'`)} AS a, ${canonicalText('NULL')} AS b, ${canonicalText(`'y  '::char(3)`)} AS c`,
    );
    assert.deepEqual(row, { a: 'lit', b: null, c: 'y' });
    for (const value of [`ARRAY[1]`, `'1 day'::interval`, `'\\x00'::bytea`, `'ok'::mood`]) {
      await assert.rejects(
        db.query(`SELECT ${canonicalText(value)}`),
        /has no canonical text for hashing; cast the column/,
        value,
      );
    }
  });

  test('doubles do not depend on extra_float_digits, also in parallel workers', async () => {
    await db.query(
      `CREATE TABLE doubles AS SELECT g::float8 * 0.1::float8 AS x, (g::float8 * 2e16 + 4) AS y FROM generate_series(1, 20000) g`,
    );
    const sql = `SELECT string_agg(${canonicalText('x', 'float8')} || '/' || ${canonicalText('y', 'float8')}, ',' ORDER BY x) AS t FROM doubles`;
    const [reference] = await db.query<{ t: string }>(sql);
    const [version] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    const settings = [
      'SET extra_float_digits = -15',
      `SET ${Number(version?.v) >= 160000 ? 'debug_parallel_query' : 'force_parallel_mode'} = on`,
      'SET parallel_setup_cost = 0',
      'SET parallel_tuple_cost = 0',
      'SET min_parallel_table_scan_size = 0',
    ];
    for (const s of settings) await db.query(s);
    try {
      const [plan] = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`);
      assert.match(plan?.['QUERY PLAN'] ?? '', /Gather|Aggregate/);
      const [rounded] = await db.query<{ t: string }>(sql);
      assert.equal(rounded?.t, reference?.t);
      assert.match(
        reference?.t ?? '',
        /^0\.1\/20000000000000004,0\.2\/40000000000000000,0\.30000000000000004\/60000000000000000,/,
      );
    } finally {
      await db.query('RESET ALL');
      await db.query('SET extra_float_digits = 1');
    }
  });

  test('setup is idempotent and safe to run from two connections at once', async () => {
    const url = new URL(process.env.VAULTLINE_TEST_POSTGRES_URL!);
    url.pathname = `/${db.name}`;
    const clients = [
      new pg.Client({ connectionString: url.toString() }),
      new pg.Client({ connectionString: url.toString() }),
    ];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      await Promise.all(
        clients.map(async (c) => {
          await c.query('BEGIN');
          for (const sql of hashingSetupStatements()) await c.query(sql);
          await c.query('COMMIT');
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const [row] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_proc WHERE pronamespace = 'vaultline_meta'::regnamespace AND proname LIKE 'vl\\_%'`,
    );
    assert.equal(
      Number(row?.n),
      2 + 1 + 16,
      'vl_upper, vl_upper_unicode, vl_float8_large_text and 16 vl_text',
    );
  });

  test('a database that is not UTF8 is refused with how to create one', async () => {
    const ascii = await createPgDatabase(`ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'`, false);
    try {
      await ascii.query('BEGIN');
      await assert.rejects(
        (async () => {
          for (const sql of hashingSetupStatements()) await ascii.query(sql);
        })(),
        /needs a UTF8 database for byte-identical hash keys; this one is SQL_ASCII/,
      );
      await ascii.query('ROLLBACK');
    } finally {
      await ascii.drop();
    }
  });
});
