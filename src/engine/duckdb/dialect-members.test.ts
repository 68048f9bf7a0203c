import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TypeFamily } from '../dialect.ts';
import { postgresDialect } from '../postgres/dialect.ts';
import { pgTypeFamily } from '../postgres/type-family.ts';

const pgTimestampText = (e: string) => postgresDialect.timestampText(e);

import { duckdbCatalog } from './catalog.ts';
import { duckdbDialect as d } from './dialect.ts';
import { openDuckDbSession } from './session.ts';

describe('DuckDB dialect members the run layer relies on', () => {
  test('typeFamily of the types the catalog reports', async () => {
    const s = await openDuckDbSession(':memory:');
    await s.execute(`CREATE TABLE t (
      a TINYINT, b INTEGER, c BIGINT, e HUGEINT, f UBIGINT, g DOUBLE, h FLOAT, i DECIMAL(18,3),
      j VARCHAR, k BOOLEAN, l DATE, m TIMESTAMP, n TIMESTAMP_NS, o TIMESTAMPTZ, p TIME, q JSON,
      r STRUCT(x INTEGER), s INTEGER[], u BLOB, v UUID, w INTERVAL)`);
    const families = Object.fromEntries(
      (await duckdbCatalog.columns(s, 'main', 't')).map((c) => [c.name, d.typeFamily(c.dataType)]),
    );
    const expected: Record<string, TypeFamily> = {
      a: 'integer',
      b: 'integer',
      c: 'integer',
      e: 'integer',
      f: 'integer',
      g: 'float',
      h: 'float',
      i: 'decimal',
      j: 'text',
      k: 'boolean',
      l: 'date',
      m: 'timestamp',
      n: 'timestamp',
      o: 'timestamptz',
      p: 'time',
      q: 'json',
      r: 'other',
      s: 'other',
      u: 'other',
      v: 'other',
      w: 'other',
    };
    assert.deepEqual(families, expected);
    await s.close();
  });

  test('timestampText reads back through timestampLiteral exactly, microseconds kept', async () => {
    const s = await openDuckDbSession(':memory:');
    for (const text of ['2024-01-02 03:04:05', '2024-01-02 03:04:05.5', '2024-01-02 03:04:05.123456']) {
      const [row] = await s.query<{ back: string; same: boolean }>(
        `SELECT ${d.timestampText(d.timestampLiteral(text))} AS back, ` +
          `CAST(${d.timestampText(d.timestampLiteral(text))} AS TIMESTAMP) = ${d.timestampLiteral(text)} AS same`,
      );
      assert.equal(row?.back, text);
      assert.equal(row?.same, true);
    }
    await s.close();
  });

  test('the types spelled for vaultline tables exist', async () => {
    const s = await openDuckDbSession(':memory:');
    const columns = Object.entries(d.types).map(([name, type]) => `"${name}" ${type}`);
    await s.execute(`CREATE TABLE typed (${columns.join(', ')})`);
    const got = await duckdbCatalog.columns(s, d.defaultSchema, 'typed');
    assert.deepEqual(
      got.map((c) => c.name),
      Object.keys(d.types),
    );
    await s.close();
  });
});

describe('PostgreSQL dialect members (src/engine/postgres/dialect.ts, type-family.ts)', () => {
  test('typeFamily of format_type and information_schema spellings', () => {
    const cases: [string, TypeFamily][] = [
      ['integer', 'integer'],
      ['bigint', 'integer'],
      ['smallint', 'integer'],
      ['double precision', 'float'],
      ['real', 'float'],
      ['numeric(18,3)', 'decimal'],
      ['numeric', 'decimal'],
      ['character varying(20)', 'text'],
      ['text', 'text'],
      ['character(2)', 'text'],
      ['boolean', 'boolean'],
      ['date', 'date'],
      ['timestamp without time zone', 'timestamp'],
      ['timestamp(3) without time zone', 'timestamp'],
      ['timestamp with time zone', 'timestamptz'],
      ['time without time zone', 'time'],
      ['jsonb', 'json'],
      ['json', 'json'],
      ['integer[]', 'other'],
      ['ARRAY', 'other'],
      ['USER-DEFINED', 'other'],
      ['bytea', 'other'],
    ];
    for (const [type, family] of cases) assert.equal(pgTypeFamily(type), family, type);
  });

  test('timestampText casts first, so a bare NULL has one to_char signature', () => {
    assert.equal(pgTimestampText('NULL'), "to_char(CAST(NULL AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US')");
  });
});
