import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testEngines } from '../../../test/helpers/engines.ts';
import { createPgDatabase, type PgDatabase } from '../../../test/helpers/postgres-hashing.ts';
import type { Session } from '../dialect.ts';
import { openDuckDbSession } from '../duckdb/session.ts';
import { trimText, upperText } from './hashing.ts';
import { DUCKDB_VERSION, TRIMMED_SPACES, UPPER_MAPPINGS } from './unicode-tables.ts';
import { unicodeTablesFromDuckDb } from './unicode-tables-source.ts';

let duck: Session;
before(async () => {
  duck = await openDuckDbSession(':memory:');
});
after(() => duck?.close());

describe('unicode-tables.ts is what the installed DuckDB does', () => {
  test('regenerated from DuckDB, the tables are identical (else run scripts/generate-unicode-tables.ts)', async () => {
    const tables = await unicodeTablesFromDuckDb(duck);
    assert.equal(tables.duckdbVersion, DUCKDB_VERSION);
    assert.deepEqual(tables.upper, UPPER_MAPPINGS);
    assert.deepEqual(tables.trimmed, TRIMMED_SPACES);
  });

  test('the mapping is idempotent: no uppercase is itself mapped (blocks may be applied in turn)', () => {
    const keys = new Set(UPPER_MAPPINGS.map(([from]) => from));
    for (const [from, to] of UPPER_MAPPINGS)
      assert.ok(!keys.has(to), `U+${from.toString(16)} → U+${to.toString(16)}`);
  });

  test('the standard’s examples: ß → ẞ, ﬁ and ŉ stay, ǅ → Ǆ, ı → I, σ and ς → Σ', () => {
    const map = new Map(UPPER_MAPPINGS);
    const upper = (s: string) =>
      [...s].map((c) => String.fromCodePoint(map.get(c.codePointAt(0)!) ?? c.codePointAt(0)!)).join('');
    assert.equal(upper('ß ﬁ ŉ ǅ ı σς'), 'ẞ ﬁ ŉ Ǆ I ΣΣ');
  });
});

/** Every mapped character, its uppercase, and a sample of all other code points. */
function probeCodePoints(): number[] {
  const out = new Set<number>();
  for (const [from, to] of UPPER_MAPPINGS) out.add(from).add(to);
  for (let cp = 0; cp < 0x110000; cp += 97) if (cp < 0xd800 || cp > 0xdfff) out.add(cp === 0 ? 1 : cp);
  return [...out].sort((a, b) => a - b);
}

/**
 * Results are compared as hex of their UTF-8 bytes: @duckdb/node-api decodes strings with a
 * TextDecoder that drops a leading U+FEFF, which would hide or fake a difference.
 */
const pgHex = (expression: string) => `upper(encode(convert_to(${expression}, 'UTF8'), 'hex'))`;

const onPostgres = testEngines().some((e) => e.name === 'postgres');

describe('PostgreSQL’s vl_upper and trim give DuckDB’s bytes', {
  skip: onPostgres ? false : 'VAULTLINE_TEST_ENGINES excludes postgres',
}, () => {
  let db: PgDatabase;
  before(async () => {
    db = await createPgDatabase();
  });
  after(() => db?.drop());

  test('character by character, and in one string (no context: final sigma, Turkish i …)', async () => {
    const cps = probeCodePoints();
    const text = String.fromCodePoint(...cps);
    const list = `[${cps.join(', ')}]`;
    const duckRows = await duck.query<{ u: string }>(
      `SELECT hex(upper(chr(cp))) AS u FROM unnest(${list}) WITH ORDINALITY AS t(cp, o) ORDER BY o`,
    );
    const pgRows = await db.query<{ u: string }>(
      `SELECT ${pgHex(upperText('chr(cp)'))} AS u FROM unnest(ARRAY${list}) WITH ORDINALITY AS t(cp, o) ORDER BY o`,
    );
    assert.equal(pgRows.length, cps.length);
    const wrong = pgRows.flatMap((r, i) =>
      r.u === duckRows[i]?.u ? [] : [`U+${cps[i]!.toString(16)}: ${r.u} ≠ ${duckRows[i]?.u}`],
    );
    assert.deepEqual(wrong, []);
    const [duckWhole] = await duck.query<{ u: string }>(`SELECT hex(upper($1)) AS u`, { params: [text] });
    const [pgWhole] = (
      await db.client.query<{ u: string }>(`SELECT ${pgHex(upperText('$1::text'))} AS u`, [text])
    ).rows;
    assert.equal(pgWhole?.u, duckWhole?.u);
  });

  test('trim removes the same characters at both ends, and nothing else', async () => {
    const probes = [...TRIMMED_SPACES, 0x09, 0x0a, 0x0d, 0x85, 0x200b, 0x2028, 0xfeff, 0x41].map((cp) =>
      String.fromCodePoint(cp),
    );
    for (const p of probes) {
      const value = `${p}${p}a${p}b${p}`;
      const [d] = await duck.query<{ t: string }>(`SELECT hex(trim($1)) AS t`, { params: [value] });
      const [g] = (
        await db.client.query<{ t: string }>(`SELECT ${pgHex(trimText('$1::text'))} AS t`, [value])
      ).rows;
      assert.equal(g?.t, d?.t, `U+${p.codePointAt(0)!.toString(16)}`);
    }
  });
});
