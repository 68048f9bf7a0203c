/**
 * vaultline_meta.vl_upper(text): the hashing standard's `upper` (DuckDB's per-character simple
 * uppercase) on PostgreSQL, independent of locale, collation and the server's Unicode tables.
 *
 * ASCII-only text (most keys) is upper(x COLLATE "C"), which maps a–z and nothing else, inlined into
 * the statement. Other text goes to vl_upper_unicode, which applies translate() with DuckDB's table
 * (unicode-tables.ts). translate() scans its list once per input character (about 5 ns an entry), so
 * one list of all 1 425 non-ASCII mappings costs ~100 µs for a 20-character string; the table is
 * therefore cut into Unicode blocks, each translated only when a regex finds a character of it in the
 * string, and each list starts with the frequent ASCII characters (mapped to themselves) so that they
 * stop the scan early. Blocks are tested in two levels to keep the tests few (17 patterns in all,
 * well inside PostgreSQL's cache of 32 compiled regexes per backend).
 */
import { UPPER_MAPPINGS } from './unicode-tables.ts';

/** Blocks of code points, grouped; a group is tested first, its blocks only when it matches. */
const GROUPS: readonly (readonly [number, number])[][] = [
  [
    [0x80, 0xff],
    [0x100, 0x17f],
    [0x180, 0x36f],
  ],
  [
    [0x370, 0x3ff],
    [0x400, 0x52f],
  ],
  [
    [0x530, 0x1dff],
    [0x1e00, 0x1eff],
    [0x1f00, 0x1fff],
  ],
  [
    [0x2000, 0x2bff],
    [0x2c00, 0x2dff],
    [0x2e00, 0xffff],
  ],
  [[0x10000, 0x10ffff]],
];

/** ASCII characters in rough order of frequency in upper-cased keys; translate maps them to themselves. */
const FREQUENT_ASCII = ' EARIOTNSLCUDPMHGBFYWKVXZJQ0123456789-.,_/:@';

function escapeCodePoint(cp: number): string {
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** `\u` escapes in an E'' literal: readable, and independent of standard_conforming_strings. */
export function escapedLiteral(codePoints: readonly number[]): string {
  return `E'${codePoints.map(escapeCodePoint).join('')}'`;
}

/** A regex literal matching one character from `lo` to `hi`. */
function range(lo: number, hi: number): string {
  return `E'[${escapeCodePoint(lo)}-${escapeCodePoint(hi)}]'`;
}

function blockStatement(lo: number, hi: number): string | undefined {
  const pairs = UPPER_MAPPINGS.filter(([from]) => from >= lo && from <= hi);
  if (pairs.length === 0) return undefined;
  const ascii = [...FREQUENT_ASCII].map((c) => c.codePointAt(0)!);
  const from = escapedLiteral([...ascii, ...pairs.map(([f]) => f)]);
  const to = escapedLiteral([...ascii, ...pairs.map(([, t]) => t)]);
  return `IF s ~ ${range(lo, hi)} THEN s := translate(s, ${from}, ${to}); END IF;`;
}

function groupStatement(blocks: readonly (readonly [number, number])[]): string {
  const inner = blocks.map(([lo, hi]) => blockStatement(lo, hi)).filter((s) => s !== undefined);
  if (blocks.length === 1) return inner.join('\n');
  const lo = blocks[0]![0];
  const hi = blocks[blocks.length - 1]![1];
  return `IF s ~ ${range(lo, hi)} THEN\n  ${inner.join('\n  ')}\nEND IF;`;
}

/** CREATE statements for vl_upper_unicode and vl_upper in `schema` (see hashingSetupStatements). */
export function upperFunctionStatements(schema: string): string[] {
  // A mapping's target is never itself mapped (checked by unicode-tables.test.ts), so applying the
  // blocks one after another is the same as mapping each character once.
  const body = `DECLARE s text := upper(t COLLATE "C");\nBEGIN\n${GROUPS.map(groupStatement).join('\n')}\nRETURN s;\nEND`;
  return [
    `CREATE OR REPLACE FUNCTION ${schema}.vl_upper_unicode(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE\nAS $fn$\n${body}\n$fn$`,
    // SQL and not strict, so that PostgreSQL inlines it: ASCII text never leaves the statement.
    `CREATE OR REPLACE FUNCTION ${schema}.vl_upper(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE\n` +
      `AS $fn$ SELECT CASE WHEN octet_length($1) = char_length($1) THEN upper($1 COLLATE "C") ELSE ${schema}.vl_upper_unicode($1) END $fn$`,
  ];
}
