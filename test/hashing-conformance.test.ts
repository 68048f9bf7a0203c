/**
 * The hashing standard's cross-engine promise (DESIGN.md): the same typed values give byte-identical
 * canonical texts, hash keys and hashdiffs on DuckDB and PostgreSQL, through src/vault/hashing.ts's
 * own SQL. PostgreSQL is checked in the session settings vaultline uses, in settings chosen to break
 * any ::text rendering, in a database with C locale, in one with an ICU locale (Turkish, where
 * upper('i') is 'İ') and on columns with a Turkish and a nondeterministic collation.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Dialect, Session } from '../src/engine/dialect.ts';
import { openDuckDbSession } from '../src/engine/duckdb/session.ts';
import { postgresDialect } from '../src/engine/postgres/dialect.ts';
import {
  DEFAULT_HASHING,
  type HashColumn,
  type HashingStandard,
  hashDiffSql,
  hashKeySql,
} from '../src/vault/hashing.ts';
import { testEngines } from './helpers/engines.ts';
import {
  createPgDatabase,
  HOSTILE_SETTINGS,
  type PgDatabase,
  SESSION_SETTINGS,
} from './helpers/postgres-hashing.ts';

/** The engine's PostgreSQL dialect, with a literal that holds under the hostile settings too. */
function postgresHashDialect(): Dialect {
  return {
    ...postgresDialect,
    literal(value) {
      if (value === null) return 'NULL';
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `'${value}'::float8`;
      const quoted = value.replaceAll("'", "''");
      // E'' keeps a backslash a backslash whatever standard_conforming_strings says (the hostile
      // settings turn it off; a vaultline session always has it on).
      return value.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
    },
  };
}

const onPostgres = testEngines().some((e) => e.name === 'postgres');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const MD5: HashingStandard = { ...DEFAULT_HASHING, algorithm: 'md5' };

/** Deterministic doubles spread over every exponent, sign and mantissa (mulberry32 bits). */
function randomDoubles(count: number, seed: number): number[] {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const view = new DataView(new ArrayBuffer(8));
  const out: number[] = [];
  while (out.length < count) {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) out.push(x);
  }
  return out;
}

/** One column of test values: a SQL literal per engine (null for NULL) and the type it is cast to. */
interface Case {
  name: string;
  duckType: string;
  pgType: string;
  values: { duck: string | null; pg: string | null }[];
  /** The canonical text of each value, where an engine-independent answer is known. */
  expected?: (string | null)[];
  /** PostgreSQL expression around each cast value (a collation, say). */
  pgWrap?: (value: string) => string;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const same = (...texts: (string | null)[]) =>
  texts.map((t) => (t === null ? { duck: null, pg: null } : { duck: quote(t), pg: quote(t) }));

/** The double next to x (x > 0) upwards or downwards: the edges of the fixed/exponent thresholds. */
function adjacent(x: number, direction: 1 | -1): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(direction));
  return view.getFloat64(0);
}

const DOUBLES = [
  0.1,
  0.2 + 0.1,
  1e21,
  1e20,
  1e-7,
  2 ** 60,
  -0,
  0,
  1,
  -1,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  123456789012345680000,
  0.000001,
  adjacent(1e-6, 1),
  adjacent(1e-6, -1),
  0.0001,
  adjacent(1e-4, -1),
  adjacent(1e15, -1),
  adjacent(1e21, -1),
  1e15,
  999999999999999.9,
  1e16,
  1500000000000000.5,
  2 ** 53 + 2,
  9.999999999999999e20,
  1 / 3,
  123.456,
  ...randomDoubles(2000, 20240229),
];
/** A double's literal both engines parse back to exactly it (String(x) is correctly rounded on both). */
const doubleLiteral = (x: number) => quote(Object.is(x, -0) ? '-0' : String(x));

const TEXTS = [
  'ß ﬁ ǅ ı σς München São',
  'straße ŉ ΐ ﬀ ǰ ᾳ ά ა ꭰ 𐐨',
  'emoji 😀 👍🏽 🇩🇪',
  'istanbul İı iI',
  ' spaced ',
  '\ttab\t',
  '\u00a0nbsp\u00a0',
  '\u3000ideographic\u2009thin\u202f',
  '\u200bzero-width\u200b',
  'line\nbreak\n',
  '',
  '   ',
  'Mixed Case',
  'ends with token||^^',
  'x||^^\n',
  null,
];

const CASES: Case[] = [
  {
    name: 'integer',
    duckType: 'INTEGER',
    pgType: 'integer',
    values: same('0', '-1', '2147483647', '-2147483648', null),
    expected: ['0', '-1', '2147483647', '-2147483648', null],
  },
  {
    name: 'bigint',
    duckType: 'BIGINT',
    pgType: 'int8',
    values: same('9223372036854775807', '-9223372036854775807', '-9223372036854775808', '42'),
    expected: ['9223372036854775807', '-9223372036854775807', '-9223372036854775808', '42'],
  },
  {
    name: 'smallint',
    duckType: 'SMALLINT',
    pgType: 'smallint',
    values: same('-32768', '7'),
    expected: ['-32768', '7'],
  },
  {
    name: 'double',
    duckType: 'DOUBLE',
    pgType: 'double precision',
    values: [
      ...DOUBLES.map((x) => ({ duck: doubleLiteral(x), pg: doubleLiteral(x) })),
      { duck: quote('nan'), pg: quote('NaN') },
      { duck: quote('inf'), pg: quote('Infinity') },
      { duck: quote('-inf'), pg: quote('-Infinity') },
      { duck: null, pg: null },
    ],
    expected: [...DOUBLES.map(String), 'NaN', 'Infinity', '-Infinity', null],
  },
  {
    name: 'real',
    duckType: 'REAL',
    pgType: 'float4',
    values: same('0.1', '-43930032', '1e-7', '3.4028235e38', '1.5'),
    expected: [0.1, -43930032, 1e-7, 3.4028235e38, 1.5].map((x) => String(Math.fround(x))),
  },
  {
    name: 'decimal(38,10)',
    duckType: 'DECIMAL(38,10)',
    pgType: 'numeric(38,10)',
    values: same(
      '1.5000000000',
      '2.00',
      '-0.0000000000',
      '0.0000001000',
      '0.000001',
      '0.0000009999',
      '999999999999999999999.9999999999',
      '1000000000000000000000',
      '1234567890123456789012.5',
      '-1234567890123456789012345678.1234567890',
      '123456789012345678.9012345678',
      null,
    ),
    expected: [
      '1.5',
      '2',
      '0',
      '1e-7',
      '0.000001',
      '9.999e-7',
      '999999999999999999999.9999999999',
      '1e+21',
      '1.2345678901234567890125e+21',
      '-1.234567890123456789012345678123456789e+27',
      '123456789012345678.9012345678',
      null,
    ],
  },
  {
    name: 'decimal(18,3)',
    duckType: 'DECIMAL(18,3)',
    pgType: 'numeric(18,3)',
    values: same('12.500', '-0.001', '0'),
    expected: ['12.5', '-0.001', '0'],
  },
  {
    name: 'boolean',
    duckType: 'BOOLEAN',
    pgType: 'bool',
    values: same('true', 'false', null),
    expected: ['true', 'false', null],
  },
  {
    name: 'date',
    duckType: 'DATE',
    pgType: 'date',
    values: [
      ...same('2024-02-29', '0001-01-01', '1970-01-01', '9999-12-31', 'infinity', '-infinity'),
      { duck: quote('0044-03-15 (BC)'), pg: quote('0044-03-15 BC') },
    ],
    expected: [
      '2024-02-29',
      '0001-01-01',
      '1970-01-01',
      '9999-12-31',
      'infinity',
      '-infinity',
      '0044-03-15 (BC)',
    ],
  },
  {
    name: 'timestamp',
    duckType: 'TIMESTAMP',
    pgType: 'timestamp without time zone',
    values: [
      ...same(
        '2024-01-02 03:04:05.123456',
        '0001-01-01 00:00:00',
        '2024-12-31 23:59:59.999999',
        'infinity',
        '-infinity',
      ),
      { duck: quote('0001-06-01 (BC) 12:00:00'), pg: quote('0001-06-01 12:00:00 BC') },
      { duck: quote('0044-03-15 (BC) 10:00:00.5'), pg: quote('0044-03-15 10:00:00.5 BC') },
    ],
    expected: [
      '2024-01-02T03:04:05.123456Z',
      '0001-01-01T00:00:00.000000Z',
      '2024-12-31T23:59:59.999999Z',
      'infinity',
      '-infinity',
      '0000-06-01T12:00:00.000000Z',
      '-43-03-15T10:00:00.500000Z',
    ],
  },
  {
    name: 'timestamptz',
    duckType: 'TIMESTAMPTZ',
    pgType: 'timestamp with time zone',
    values: same(
      '2024-01-02 03:04:05.123456+05:30',
      '2024-06-30 23:30:00-09:30',
      '1969-12-31 23:59:59.999999+00',
    ),
    expected: ['2024-01-01T21:34:05.123456Z', '2024-07-01T09:00:00.000000Z', '1969-12-31T23:59:59.999999Z'],
  },
  {
    name: 'time',
    duckType: 'TIME',
    pgType: 'time',
    values: same('23:59:59.25', '00:00:00', '24:00:00', '12:34:56.789012'),
    expected: ['23:59:59.250000', '00:00:00.000000', '00:00:00.000000', '12:34:56.789012'],
  },
  { name: 'text', duckType: 'VARCHAR', pgType: 'text', values: same(...TEXTS), expected: TEXTS },
  {
    name: 'varchar(40)',
    duckType: 'VARCHAR',
    pgType: 'character varying(40)',
    values: same(...TEXTS.slice(0, 6)),
  },
  {
    name: 'uuid',
    duckType: 'UUID',
    pgType: 'uuid',
    values: same('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
    expected: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  },
  {
    name: 'json',
    duckType: 'JSON',
    pgType: 'json',
    values: same('{"a": [1, "ß"]}'),
    expected: ['{"a": [1, "ß"]}'],
  },
];

/** Text under collations whose upper(), equality or regex support differ (PostgreSQL only). */
const COLLATED: Case[] = [
  {
    ...CASES.find((c) => c.name === 'text')!,
    name: 'text COLLATE tr-x-icu',
    pgWrap: (v) => `${v} COLLATE "tr-x-icu"`,
  },
  {
    ...CASES.find((c) => c.name === 'text')!,
    name: 'text COLLATE nondeterministic',
    pgWrap: (v) => `${v} COLLATE vl_ci`,
  },
];

interface Rendered {
  t: string | null;
  hk: string | null;
  hd: string;
  hk5: string | null;
  u?: string | null;
}

function caseSql(c: Case, engine: 'duck' | 'pg', dialect: Dialect): string {
  const type = engine === 'duck' ? c.duckType : c.pgType;
  const rows = c.values.map((v, i) => {
    const literal = v[engine];
    const cast = literal === null ? `CAST(NULL AS ${type})` : `CAST(${literal} AS ${type})`;
    return `(${i}, ${engine === 'pg' && c.pgWrap ? c.pgWrap(cast) : cast})`;
  });
  const column: HashColumn = { name: 'x', expression: 't.x', type };
  // A second attribute that is always NULL: the hashdiff drops it as a trailing null token.
  const nothing: HashColumn = { name: 'z', expression: 'CAST(NULL AS VARCHAR)', type: 'VARCHAR' };
  const untyped = engine === 'pg' ? `, ${dialect.canonicalText('t.x')} AS u` : '';
  return (
    `SELECT ${dialect.canonicalText('t.x', type)} AS t${untyped}, ` +
    `${hashKeySql([[column]], DEFAULT_HASHING, dialect)} AS hk, ` +
    `${hashDiffSql([column, nothing, nothing], DEFAULT_HASHING, dialect)} AS hd, ` +
    `${hashKeySql([[column]], MD5, dialect)} AS hk5 ` +
    `FROM (VALUES ${rows.join(', ')}) AS t(i, x) ORDER BY i`
  );
}

/** Several columns at once: link-style key groups and a hashdiff with inner and trailing nulls. */
function wideSql(dialect: Dialect, types: Record<string, string>, rows: string[]): string {
  const col = (name: string): HashColumn => ({ name, expression: `t.${name}`, type: types[name]! });
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(col) as [
    HashColumn,
    HashColumn,
    HashColumn,
    HashColumn,
    HashColumn,
  ];
  return (
    `SELECT ${hashKeySql([[a, b], [c]], DEFAULT_HASHING, dialect)} AS hk, ` +
    `${hashDiffSql([a, e, b, c, d, e, e], DEFAULT_HASHING, dialect)} AS hd, ` +
    `${hashDiffSql([e, a], MD5, dialect)} AS hd5 FROM (VALUES ${rows.join(', ')}) AS t(i, a, b, c, d, e) ORDER BY i`
  );
}

const WIDE_ROWS = [
  [`' fr '`, '1', `'2024-01-02'`, `'1e21'`, 'NULL'],
  [`'München'`, '-7', `'1999-12-31'`, `'-0.5'`, `''`],
  ['NULL', 'NULL', `'2000-01-01'`, `'0.1'`, 'NULL'],
  [`'ǅemal'`, '0', 'NULL', 'NULL', `'^^'`],
];

function wideRows(engine: 'duck' | 'pg'): string[] {
  const [text, int, date, dbl] =
    engine === 'duck' ? ['VARCHAR', 'INTEGER', 'DATE', 'DOUBLE'] : ['text', 'integer', 'date', 'float8'];
  return WIDE_ROWS.map(
    ([a, b, c, d, e], i) =>
      `(${i}, CAST(${a} AS ${text}), CAST(${b} AS ${int}), CAST(${c} AS ${date}), CAST(${d} AS ${dbl}), CAST(${e} AS ${text}))`,
  );
}
const DUCK_WIDE = { a: 'VARCHAR', b: 'INTEGER', c: 'DATE', d: 'DOUBLE', e: 'VARCHAR' };
const PG_WIDE = { a: 'text', b: 'integer', c: 'date', d: 'float8', e: 'text' };

let duck: Session;
const reference = new Map<string, Rendered[]>();
let referenceWide: Record<string, unknown>[] = [];

before(async () => {
  duck = await openDuckDbSession(':memory:');
  // Not UTC, to show DuckDB's side does not depend on it either.
  await duck.execute(`SET TimeZone = 'America/New_York'`);
  for (const c of CASES)
    reference.set(
      c.name,
      await duck.query<Rendered & Record<string, unknown>>(caseSql(c, 'duck', duck.dialect)),
    );
  for (const c of COLLATED) reference.set(c.name, reference.get('text')!);
  referenceWide = await duck.query(wideSql(duck.dialect, DUCK_WIDE, wideRows('duck')));
});
after(() => duck?.close());

describe('DuckDB renders the standard', () => {
  for (const c of CASES.filter((c) => c.expected)) {
    test(`${c.name}: canonical text`, () => {
      assert.deepEqual(
        reference.get(c.name)!.map((r) => r.t),
        c.expected,
      );
    });
  }

  test('double: hash key and hashdiff are the SHA-256 of String(x) (upper-cased for the key)', () => {
    const rows = reference.get('double')!;
    DOUBLES.forEach((x, i) => {
      assert.equal(rows[i]?.hk, sha256(String(x).toUpperCase()), `hash key of ${x}`);
      assert.equal(rows[i]?.hd, sha256(String(x)), `hashdiff of ${x}`);
    });
  });
});

/** Compares every case's rows on one PostgreSQL database with DuckDB's. */
async function assertMatchesDuckDb(db: PgDatabase, cases: Case[]): Promise<void> {
  const dialect = postgresHashDialect();
  for (const c of cases) {
    const rows = await db.query<Rendered & Record<string, unknown>>(caseSql(c, 'pg', dialect));
    const expected = reference.get(c.name)!;
    assert.equal(rows.length, expected.length, c.name);
    rows.forEach((row, i) => {
      const what = `${c.name} value ${JSON.stringify(c.values[i]?.pg)}`;
      assert.equal(row.t, expected[i]?.t, `${what}: canonical text`);
      assert.equal(row.u, row.t, `${what}: untyped canonical text`);
      assert.equal(row.hk, expected[i]?.hk, `${what}: hash key`);
      assert.equal(row.hd, expected[i]?.hd, `${what}: hashdiff`);
      assert.equal(row.hk5, expected[i]?.hk5, `${what}: md5 hash key`);
    });
  }
  assert.deepEqual(
    await db.query(wideSql(dialect, PG_WIDE, wideRows('pg'))),
    referenceWide,
    'several columns',
  );
}

describe('PostgreSQL gives DuckDB’s bytes', {
  skip: onPostgres ? false : 'VAULTLINE_TEST_ENGINES excludes postgres',
}, () => {
  let db: PgDatabase;
  let icu = false;
  before(async () => {
    db = await createPgDatabase();
    const [row] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_collation WHERE collname = 'tr-x-icu'`,
    );
    icu = Number(row?.n) > 0;
    if (icu) {
      await db.query(
        `CREATE COLLATION vl_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
      );
    }
  });
  after(() => db?.drop());

  test('in vaultline’s session settings', async () => {
    await assertMatchesDuckDb(db, CASES);
  });

  test('under DateStyle SQL/DMY, a Nepal time zone, extra_float_digits 0, standard_conforming_strings off', async () => {
    for (const sql of HOSTILE_SETTINGS) await db.query(sql);
    try {
      await assertMatchesDuckDb(db, CASES);
    } finally {
      await db.query('RESET ALL');
      for (const sql of SESSION_SETTINGS) await db.query(sql);
    }
  });

  test('on columns with a Turkish and a nondeterministic ICU collation', async (t) => {
    if (!icu) return t.skip('this server has no ICU collations');
    const [row] = await db.query<{ u: string }>(`SELECT upper('i' COLLATE "tr-x-icu") AS u`);
    assert.equal(row?.u, 'İ', 'the collation really changes upper()');
    await assertMatchesDuckDb(db, COLLATED);
  });

  test('in a database with LC_COLLATE and LC_CTYPE C', async () => {
    const c = await createPgDatabase(`ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    try {
      const [row] = await c.query<{ u: string }>(`SELECT upper('é') AS u`);
      assert.equal(row?.u, 'é', 'the database upper() is ASCII-only here');
      await assertMatchesDuckDb(c, CASES);
    } finally {
      await c.drop();
    }
  });

  test('in a database whose default collation is ICU Turkish', async (t) => {
    if (!icu) return t.skip('this server has no ICU collations');
    const tr = await createPgDatabase(
      `ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'tr-TR' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
    try {
      const [row] = await tr.query<{ u: string }>(`SELECT upper('iß') AS u`);
      assert.equal(row?.u, 'İSS', 'the database upper() is ICU’s Turkish full mapping here');
      await assertMatchesDuckDb(tr, CASES);
    } finally {
      await tr.drop();
    }
  });
});
