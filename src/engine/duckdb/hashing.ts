/**
 * DESIGN.md's hashing standard on DuckDB: `text(x)`, one canonical rendering per type, and hex digests.
 * Owned by the Data Vault layer (src/vault/ builds hash keys and hashdiffs from these two functions).
 *
 * Renderings (identical on every engine; a Postgres twin must produce the same bytes):
 * - integers (TINYINT … HUGEINT, unsigned too): plain decimal digits.
 * - DOUBLE: exactly JavaScript's String(x) — shortest round-trip digits, `1` not `1.0`, `0.1`,
 *   `100000000000000000000`, `1e+21`, `1e-7`, `0.000001`. Decided here: -0 → `0` (as String(-0)),
 *   NaN → `NaN`, ±∞ → `Infinity` / `-Infinity` (as String does).
 * - REAL/FLOAT4: widened to DOUBLE first (exact), i.e. String(x) of the number a JavaScript driver
 *   returns: 0.1::REAL → `0.10000000149011612`. Engines disagree on a float32's own "shortest" digits
 *   (DuckDB prints `-43930032.0` where Ryu gives `-4.393003e+07`), the widened double they all agree
 *   on. Cast to DECIMAL in the staging model for short renderings.
 * - DECIMAL/NUMERIC: JavaScript's number formatting applied to the exact decimal value: trailing
 *   zeros dropped (`1.500` → `1.5`, `2.00` → `2`), the same fixed/exponent thresholds. Up to 15
 *   significant digits this is exactly String(Number(x)); longer decimals keep every digit, because
 *   rounding them to a double would let two different amounts share a hashdiff.
 * - BOOLEAN `true`/`false`; DATE `YYYY-MM-DD`; TIMESTAMP (taken as UTC), TIMESTAMP_S/_MS/_NS
 *   (truncated to microseconds) and TIMESTAMPTZ (converted to UTC) `YYYY-MM-DDTHH:MM:SS.ffffffZ`;
 *   TIME `HH:MM:SS.ffffff`; VARCHAR/JSON/UUID/ENUM as is.
 * - Anything else (lists, structs, maps, BLOB, INTERVAL, …) has no engine-independent text: with a
 *   declared type it is refused (cast it in the staging model); without one it falls back to
 *   DuckDB's own VARCHAR rendering.
 *
 * DuckDB prints the same shortest digits as JavaScript but spells them differently (`1.0`, `1e+20`,
 * `1e-06`), so numbers are rendered by re-spelling DuckDB's VARCHAR text with JavaScript's rules
 * (ECMA-262 Number::toString): digits d (k of them) and exponent n with value 0.d × 10^n; fixed when
 * -6 < n ≤ 21, else d[.ddd]e±(n-1). src/engine/duckdb/hashing.test.ts checks this against String(x)
 * over many random doubles in real DuckDB.
 */

import { UnsupportedHashTypeError } from '../hashing-errors.ts';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

/** What to cast an unhashable column to, in DuckDB's SQL (UnsupportedHashTypeError's advice). */
const CAST_ADVICE = 'VARCHAR, or to_json(x)::VARCHAR for nested values';

const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'VARINT',
  'BIGNUM',
]);

/** Type spellings a user may declare, mapped to the names DuckDB's DESCRIBE reports. */
const ALIASES: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  SIGNED: 'INTEGER',
  INT1: 'TINYINT',
  INT2: 'SMALLINT',
  SHORT: 'SMALLINT',
  INT8: 'BIGINT',
  LONG: 'BIGINT',
  INT16: 'HUGEINT',
  INT128: 'HUGEINT',
  FLOAT8: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  FLOAT: 'FLOAT',
  FLOAT4: 'FLOAT',
  REAL: 'FLOAT',
  BOOL: 'BOOLEAN',
  LOGICAL: 'BOOLEAN',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  CHAR: 'VARCHAR',
  BPCHAR: 'VARCHAR',
  NVARCHAR: 'VARCHAR',
  DATETIME: 'TIMESTAMP',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE',
  NUMERIC: 'DECIMAL',
};

/** Upper-cased, alias-resolved type name without its parameters (`DECIMAL(18,3)` → `DECIMAL`). */
export function normalizeType(columnType: string): string {
  const upper = columnType.trim().toUpperCase().replace(/\s+/g, ' ');
  if (/\[\d*\]$/.test(upper)) return 'LIST';
  const base = upper.replace(/\(.*$/s, '').trim();
  if (base.startsWith('VARCHAR')) return 'VARCHAR';
  return ALIASES[base] ?? base;
}

const TIMESTAMP_FORMAT = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

/**
 * JavaScript's number spelling of a VARCHAR expression holding DuckDB's text of a number in any
 * notation (`-1.2345e+20`, `1.0`, `0.000015`, `nan`, `-inf`). Lambdas bind each intermediate once.
 * General but slow (about 1 µs a value), so the fast paths below only send it the rare values.
 */
function jsNumberGeneral(text: string): string {
  const parse = `regexp_extract(vl_t, '^(-?)0*([0-9]*)\\.?([0-9]*)(?:e([+-][0-9]+))?$', ['s', 'i', 'f', 'e'])`;
  // value = 0.d × 10^n, with d stripped of leading and trailing zeros
  const digits = `{'s': vl_p.s, 'd': rtrim(ltrim(vl_p.i || vl_p.f, '0'), '0'), 'n': length(vl_p.i) + coalesce(TRY_CAST(vl_p.e AS INTEGER), 0) - (length(vl_p.i || vl_p.f) - length(ltrim(vl_p.i || vl_p.f, '0')))}`;
  const format =
    `CASE WHEN vl_q.d = '' THEN '0' ELSE vl_q.s || CASE ` +
    `WHEN vl_q.n >= length(vl_q.d) AND vl_q.n <= 21 THEN vl_q.d || repeat('0', vl_q.n - length(vl_q.d)) ` +
    `WHEN vl_q.n > 0 AND vl_q.n <= 21 THEN substr(vl_q.d, 1, vl_q.n) || '.' || substr(vl_q.d, vl_q.n + 1) ` +
    `WHEN vl_q.n > -6 AND vl_q.n <= 0 THEN '0.' || repeat('0', -vl_q.n) || vl_q.d ` +
    `ELSE substr(vl_q.d, 1, 1) || CASE WHEN length(vl_q.d) > 1 THEN '.' || substr(vl_q.d, 2) ELSE '' END ` +
    `|| 'e' || CASE WHEN vl_q.n > 0 THEN '+' ELSE '-' END || CAST(abs(vl_q.n - 1) AS VARCHAR) END END`;
  return (
    `list_transform([${text}], lambda vl_t: CASE WHEN vl_t IS NULL THEN NULL ` +
    `WHEN vl_t IN ('nan', '-nan') THEN 'NaN' WHEN vl_t = 'inf' THEN 'Infinity' WHEN vl_t = '-inf' THEN '-Infinity' ` +
    `ELSE list_transform([${parse}], lambda vl_p: list_transform([${digits}], lambda vl_q: ${format})[1])[1] END)[1]`
  );
}

/**
 * String(x) of a VARCHAR expression `t` holding DuckDB's text of a DOUBLE. DuckDB prints fixed
 * notation only well inside JavaScript's fixed range (about 1e-5 ≤ |x| < 1e16) and with the same
 * shortest digits, so there the only difference is DuckDB's `.0` on whole numbers; scientific
 * notation, -0 and NaN/∞ take the general path.
 */
export function jsDoubleFromText(t: string): string {
  return (
    `CASE WHEN contains(${t}, 'e') OR contains(${t}, 'n') OR ${t} = '-0.0' THEN ${jsNumberGeneral(t)} ` +
    `WHEN suffix(${t}, '.0') THEN left(${t}, length(${t}) - 2) ELSE ${t} END`
  );
}

/**
 * JavaScript's spelling of a VARCHAR expression `t` holding DuckDB's exact text of a DECIMAL
 * (`-1.500`, `100`, `0.000`): trailing fractional zeros dropped; values from 1e-6 up to 1e21 stay in
 * fixed notation as in JavaScript, the rest (and -0) take the general path.
 */
export function jsDecimalFromText(t: string): string {
  const abs = `ltrim(${t}, '-')`;
  const needsGeneral =
    `length(split_part(${abs}, '.', 1)) > 21 OR starts_with(${abs}, '0.000000') ` +
    `OR (starts_with(${t}, '-') AND ltrim(${abs}, '0.') = '')`;
  return (
    `CASE WHEN ${t} IS NULL THEN NULL WHEN ${needsGeneral} THEN ${jsNumberGeneral(t)} ` +
    `WHEN contains(${t}, '.') THEN rtrim(rtrim(${t}, '0'), '.') ELSE ${t} END`
  );
}

/**
 * A DECIMAL of known scale: the value itself picks the path (cheaper than inspecting its text).
 * The bounds are a little wide of JavaScript's (1e-6, 1e21) so that rounding the decimal to a double
 * for the comparison can only send a value to the general path, which is always right.
 */
function typedDecimal(x: string, columnType: string): string {
  const scale = Number(/,\s*(\d+)\s*\)/.exec(columnType)?.[1] ?? (/\(/.test(columnType) ? 0 : 3));
  const t = `CAST(${x} AS VARCHAR)`;
  const fixed = scale > 0 ? `rtrim(rtrim(${t}, '0'), '.')` : t;
  return (
    `CASE WHEN ${x} IS NULL THEN NULL WHEN abs(${x}) >= 9.9e20 OR (${x} <> 0 AND abs(${x}) < 0.0000011) ` +
    `THEN ${jsNumberGeneral(t)} ELSE ${fixed} END`
  );
}

function timeText(x: string): string {
  return `strftime(DATE '2000-01-01' + ${x}, '%H:%M:%S.%f')`;
}

/** `text(x)` for a statically known column type (as DuckDB's DESCRIBE spells it, or an alias). */
function typedText(x: string, columnType: string): string {
  const type = normalizeType(columnType);
  if (INTEGER_TYPES.has(type)) return `CAST(${x} AS VARCHAR)`;
  switch (type) {
    case 'DOUBLE':
      return jsDoubleFromText(`CAST(${x} AS VARCHAR)`);
    case 'DECIMAL':
      return typedDecimal(x, columnType);
    case 'FLOAT':
      return jsDoubleFromText(`CAST(CAST(${x} AS DOUBLE) AS VARCHAR)`);
    case 'BOOLEAN':
    case 'DATE':
    case 'VARCHAR':
    case 'JSON':
    case 'UUID':
    case 'ENUM':
      return `CAST(${x} AS VARCHAR)`;
    case 'TIMESTAMP':
      return `strftime(${x}, ${TIMESTAMP_FORMAT})`;
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
      return `strftime(CAST(${x} AS TIMESTAMP), ${TIMESTAMP_FORMAT})`;
    case 'TIMESTAMP WITH TIME ZONE':
      return `strftime(timezone('UTC', ${x}), ${TIMESTAMP_FORMAT})`;
    case 'TIME':
      return timeText(x);
    default:
      throw new UnsupportedHashTypeError(columnType, CAST_ADVICE);
  }
}

/**
 * `text(x)` when the type is not known while generating SQL: branches on `typeof(x)`, which DuckDB
 * folds to a constant per column at bind time, so only one branch runs. Every branch goes through
 * VARCHAR so that all of them bind whatever x is. Same output as the typed form (tested).
 */
function dispatchedText(x: string): string {
  const v = `CAST(${x} AS VARCHAR)`;
  const type = `typeof(${x})`;
  const ints = [...INTEGER_TYPES].map((t) => `'${t}'`).join(', ');
  return (
    `(CASE WHEN ${type} IN (${ints}) THEN ${v} ` +
    `WHEN ${type} = 'DOUBLE' THEN ${jsDoubleFromText(v)} ` +
    `WHEN ${type} LIKE 'DECIMAL%' THEN ${jsDecimalFromText(v)} ` +
    // a REAL's text round-trips to the same float32, widened exactly; TRY_CAST binds for any x
    `WHEN ${type} = 'FLOAT' THEN ${jsDoubleFromText(`CAST(CAST(TRY_CAST(${v} AS FLOAT) AS DOUBLE) AS VARCHAR)`)} ` +
    `WHEN ${type} = 'TIMESTAMP WITH TIME ZONE' THEN strftime(timezone('UTC', TRY_CAST(${v} AS TIMESTAMPTZ)), ${TIMESTAMP_FORMAT}) ` +
    `WHEN ${type} LIKE 'TIMESTAMP%' THEN strftime(TRY_CAST(${v} AS TIMESTAMP), ${TIMESTAMP_FORMAT}) ` +
    `WHEN ${type} = 'TIME' THEN ${timeText(`TRY_CAST(${v} AS TIME)`)} ` +
    `ELSE ${v} END)`
  );
}

/**
 * `text(x)` of DESIGN.md as a DuckDB expression; NULL stays NULL. Pass the column type (from the
 * relation's DESCRIBE) when it is known: the SQL is shorter and an unhashable type is refused with
 * UnsupportedHashTypeError instead of falling back to DuckDB's own rendering.
 */
export function canonicalText(expression: string, columnType?: string): string {
  const x = `(${expression})`;
  return columnType === undefined ? dispatchedText(x) : typedText(x, columnType);
}

/** Lowercase hex digest of a text expression (DuckDB's md5/sha1/sha256 all return lowercase hex). */
export function hashText(expression: string, algorithm: HashAlgorithm): string {
  return `${algorithm}(${expression})`;
}

/**
 * The first 128 bits of a hex digest as two UBIGINTs (16 hex digits each), for the vault's current
 * state tables: DuckDB joins and deletes on them several times faster than on 64-character strings.
 * 128 bits keep keys apart as well as an MD5 key would (a clash needs two keys sharing 128 bits).
 */
export function digestToIntegers(hexExpression: string): { expressions: string[]; type: string } {
  return {
    expressions: [0, 1].map((i) => `CAST(('0x' || substr(${hexExpression}, ${1 + 16 * i}, 16)) AS UBIGINT)`),
    type: 'UBIGINT',
  };
}
