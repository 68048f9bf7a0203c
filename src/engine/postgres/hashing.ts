/**
 * DESIGN.md's hashing standard on PostgreSQL: `text(x)`, `trim`, `upper` and hex digests producing the
 * same bytes as src/engine/duckdb/hashing.ts (the reference; test/hashing-conformance.test.ts compares
 * both engines value by value). Needs PostgreSQL 14+ (trim_scale, numeric infinity) and a UTF8 database.
 *
 * Nothing here may depend on the session or the database's locale: DateStyle, TimeZone, lc_*, the
 * collation of a column (nondeterministic ICU ones included) and extra_float_digits are all ignored:
 * - dates and timestamps go through to_char with numeric fields only (never ::text, which follows
 *   DateStyle); timestamptz is converted with AT TIME ZONE 'UTC'.
 * - double precision: PostgreSQL's float8out prints the same shortest round-trip digits as JavaScript
 *   (Ryu) when extra_float_digits > 0 (vaultline sessions set 1, the server default), spelled
 *   `1e+21`, `1e-07`, `1.152921504606847e+18`, `-0`; fixed notation only for 1e-4 ≤ |x| < 1e15.
 *   Within that range the text is String(x) already; outside it is re-spelled with ECMA-262
 *   Number::toString's rules (digits d, value 0.d × 10^n: fixed when -6 < n ≤ 21). A session with
 *   extra_float_digits ≤ 0 (15 rounded digits) is detected once per statement (an InitPlan) and its
 *   values go through vaultline_meta.vl_text(float8), which sets extra_float_digits = 1 for itself.
 * - real is widened to double precision first (exact), as on DuckDB.
 * - numeric: exact text (numeric_out never rounds) with trailing fractional zeros dropped
 *   (trim_scale), re-spelled in exponent form at JavaScript's thresholds (≥ 1e21, < 1e-6); NaN and
 *   ±Infinity print as String does for doubles.
 * - BC dates print as DuckDB does (`0044-03-15 (BC)`; timestamps `-43-03-15T…`, year 0 `0000`);
 *   ±infinity as `infinity` / `-infinity`; TIME '24:00:00' as `00:00:00.000000` (DuckDB adds the time
 *   to a date).
 * - text columns are read under COLLATE "C", so nullif/trim/regexp_replace around them never meet a
 *   nondeterministic collation (equality by collation, regexes refused).
 * - `upper`: PostgreSQL's upper() follows the collation (C: ASCII only; ICU: full mapping ß → SS;
 *   libc: the C library's tables). vaultline_meta.vl_upper maps ASCII with upper(… COLLATE "C") and
 *   every other character with translate() over DuckDB's own table (unicode-tables.ts).
 * - `trim`: DuckDB's trim() removes the Unicode space separators (Zs), PostgreSQL's only U+0020; btrim
 *   with DuckDB's list.
 *
 * Without a column type, PostgreSQL has no bind-time `typeof` to branch on, so canonicalText calls
 * vaultline_meta.vl_text(x): one SQL function per hashable type, chosen by PostgreSQL's overload
 * resolution when the statement is parsed (the type is known then, as DuckDB's typeof is folded), each
 * the typed rendering below; any other type reaches vl_text(anyelement), which raises the same
 * advice as UnsupportedHashTypeError. hashingSetupStatements() creates these functions.
 */
import { UnsupportedHashAlgorithmError, UnsupportedHashTypeError } from '../hashing-errors.ts';
import { TRIMMED_SPACES } from './unicode-tables.ts';
import { escapedLiteral, upperFunctionStatements } from './upper-function.ts';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

/** The schema of the hashing functions (vaultline's metadata schema, DESIGN.md). */
export const HASHING_SCHEMA = 'vaultline_meta';

/** What to cast an unhashable column to, in PostgreSQL's SQL (UnsupportedHashTypeError's advice). */
const CAST_ADVICE = 'text, or to_jsonb(x)::text for nested values';

type Kind =
  | 'integer'
  | 'numeric'
  | 'double'
  | 'real'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'text';

/**
 * Type names as format_type() reports them (parameters removed) and the aliases users write, to the
 * rendering they get. `varchar` and `double` also cover the spellings engine-neutral code uses.
 */
const KINDS: Record<string, Kind> = {
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  int: 'integer',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  smallserial: 'integer',
  serial: 'integer',
  bigserial: 'integer',
  serial2: 'integer',
  serial4: 'integer',
  serial8: 'integer',
  numeric: 'numeric',
  decimal: 'numeric',
  'double precision': 'double',
  float8: 'double',
  float: 'double',
  double: 'double',
  real: 'real',
  float4: 'real',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  time: 'time',
  'time without time zone': 'time',
  text: 'text',
  varchar: 'text',
  'character varying': 'text',
  character: 'text',
  char: 'text',
  bpchar: 'text',
  json: 'text',
  jsonb: 'text',
  uuid: 'text',
};

/** The rendering of a declared type; undefined for a type without canonical text. */
function kindOf(columnType: string): Kind | undefined {
  const type = columnType
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^pg_catalog\./, '');
  if (type.endsWith(']') || type.startsWith('_')) return undefined; // arrays
  // float(p): real up to 24 binary digits, double precision above (PostgreSQL's rule)
  const float = /^float\s*\(\s*(\d+)\s*\)$/.exec(type);
  if (float) return Number(float[1]) <= 24 ? 'real' : 'double';
  const base = type
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return Object.hasOwn(KINDS, base) ? KINDS[base] : undefined;
}

const TIMESTAMP_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** 2^54: from here on a double's interval bounds can be shorter decimals than any number inside. */
const TWO_TO_54 = '18014398509481984';

/**
 * vl_float8_large_text(x): String(x) for |x| ≥ 2^54. PostgreSQL builds Ryu without
 * STRICTLY_SHORTEST: it never answers with a bound of x's rounding interval, which JavaScript (and
 * DuckDB) do when x's mantissa is even, since such a bound reads back as x (ties to even). Below 2^54
 * a bound is never the shorter answer (its exact decimal is longer than 17 digits); above it the
 * bounds are integers, X ± ulp/2 (ulp/4 below a power of two), and one of them may end in zeros:
 * 2.0119908400275048e+16 is String()'s 20119908400275050. Nothing shorter can lie inside the
 * interval (Ryu would have found it), so String(x) is the shortest of float8out's digits and the
 * even-mantissa bounds, the one nearer x on equal length, the even digits on equal distance. X itself
 * is exact: the multiple of ulp nearest float8out's digits (they are within half an ulp of it).
 * About 10 µs a value, hence a function called only for |x| ≥ 2^54, setting extra_float_digits itself.
 */
function largeDoubleText(): string {
  const pow2 = '4503599627370496'; // 2^52: the mantissa of a power of two, whose lower gap is half
  return `CREATE OR REPLACE FUNCTION ${HASHING_SCHEMA}.vl_float8_large_text(x float8) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET extra_float_digits = 1
AS $fn$
DECLARE
  t text := x::text;
  b bytea := float8send(x);
  ulp numeric := trunc(power(2::numeric, (((get_byte(b, 0) & 127) << 4) | (get_byte(b, 1) >> 4)) - 1075));
  m2 numeric := div(2 * abs(t::numeric) + ulp, 2 * ulp);
  s text := replace(ltrim(split_part(t, 'e', 1), '-'), '.', '');
  n int := split_part(t, 'e', 2)::int + 1;
  lo numeric;
  hi numeric;
BEGIN
  IF m2 % 2 = 0 THEN
    hi := trunc(m2 * ulp + ulp / 2);
    lo := trunc(m2 * ulp - CASE WHEN m2 = ${pow2} THEN ulp / 4 ELSE ulp / 2 END);
    IF least(length(rtrim(lo::text, '0')), length(rtrim(hi::text, '0'))) < length(s) THEN
      IF length(rtrim(lo::text, '0')) < length(rtrim(hi::text, '0'))
         OR (length(rtrim(lo::text, '0')) = length(rtrim(hi::text, '0'))
             AND (m2 = ${pow2} OR right(rtrim(lo::text, '0'), 1) IN ('0', '2', '4', '6', '8'))) THEN
        s := rtrim(lo::text, '0');
        n := length(lo::text);
      ELSE
        s := rtrim(hi::text, '0');
        n := length(hi::text);
      END IF;
    END IF;
  END IF;
  RETURN CASE WHEN x < 0 THEN '-' ELSE '' END || CASE WHEN n <= 21 THEN s || repeat('0', n - length(s))
    ELSE left(s, 1) || CASE WHEN length(s) > 1 THEN '.' || substr(s, 2) ELSE '' END || 'e+' || (n - 1)::text END;
END
$fn$`;
}

/**
 * JavaScript's String(x) of a float8 expression, given that float8out prints shortest digits. Zero
 * (also -0) is `0`; the fixed range prints as is; the rest is re-spelled from float8out's
 * `d[.ddd]e±XX` (NaN and ±Infinity have no `e` and are spelled as String spells them).
 */
function shortestDoubleText(x: string): string {
  const t = `${x}::text`;
  const e = `split_part(${t}, 'e', 2)::int`;
  const m = `split_part(${t}, 'e', 1)`;
  const digits = `replace(ltrim(${m}, '-'), '.', '')`;
  const n = `(${e} + 1)`;
  const fixed =
    `CASE WHEN length(${digits}) <= ${n} THEN ${digits} || repeat('0', ${n} - length(${digits})) ` +
    `WHEN ${n} > 0 THEN left(${digits}, ${n}) || '.' || substr(${digits}, ${n} + 1) ` +
    `ELSE '0.' || repeat('0', -${n}) || ${digits} END`;
  return (
    `CASE WHEN ${x} = 0 THEN '0' ` +
    `WHEN abs(${x}) >= 1e-4::float8 AND abs(${x}) < 1e15::float8 THEN ${t} ` +
    `WHEN strpos(${t}, 'e') = 0 THEN ${t} ` +
    `WHEN abs(${x}) >= ${TWO_TO_54}::float8 THEN ${HASHING_SCHEMA}.vl_float8_large_text(${x}) ` +
    `WHEN ${e} >= 21 OR ${e} <= -7 THEN ${m} || 'e' || CASE WHEN ${e} > 0 THEN '+' ELSE '-' END || abs(${e})::text ` +
    `ELSE CASE WHEN ${x} < 0 THEN '-' ELSE '' END || ${fixed} END`
  );
}

/** String(x) of a float8 expression, also in a session whose extra_float_digits rounds float8out. */
function doubleText(x: string): string {
  return (
    `CASE WHEN (SELECT current_setting('extra_float_digits')::int < 1) THEN ${HASHING_SCHEMA}.vl_text(${x}::float8) ` +
    `ELSE ${shortestDoubleText(x)} END`
  );
}

/**
 * JavaScript's spelling of a numeric's exact value: trim_scale drops trailing fractional zeros; at
 * and above 1e21 and below 1e-6 the digits move to exponent form (`1.5e+21`, `-2.5e-7`).
 */
function numericText(x: string): string {
  const t = `trim_scale(${x})::text`;
  const a = `ltrim(${t}, '-')`;
  const sign = `CASE WHEN ${x} < 0 THEN '-' ELSE '' END`;
  const mantissa = (d: string) =>
    `left(${d}, 1) || CASE WHEN length(${d}) > 1 THEN '.' || substr(${d}, 2) ELSE '' END`;
  const bigDigits = `rtrim(replace(${a}, '.', ''), '0')`;
  const big = `${sign} || ${mantissa(bigDigits)} || 'e+' || (length(split_part(${a}, '.', 1)) - 1)::text`;
  const fraction = `split_part(${a}, '.', 2)`;
  const smallDigits = `ltrim(${fraction}, '0')`;
  const small = `${sign} || ${mantissa(smallDigits)} || 'e-' || (length(${fraction}) - length(${smallDigits}) + 1)::text`;
  // NaN sorts above every number and Infinity, so it falls through to its own text, as ±Infinity do.
  return (
    `CASE WHEN abs(${x}) < 1e21 AND (abs(${x}) >= 0.000001 OR ${x} = 0) THEN ${t} ` +
    `WHEN abs(${x}) >= 1e21 AND abs(${x}) < 'Infinity'::numeric THEN ${big} ` +
    `WHEN abs(${x}) < 1e21 THEN ${small} ELSE ${t} END`
  );
}

/** DuckDB's strftime('%Y-%m-%dT%H:%M:%S.%fZ') of a timestamp expression. */
function timestampText(x: string): string {
  // DuckDB prints the astronomical year for BC: 1 BC is 0000, 2 BC is -1; extract gives -1, -2.
  const year = `extract(year FROM ${x})::int`;
  return (
    `CASE WHEN NOT isfinite(${x}) THEN CASE WHEN ${x} > TIMESTAMP 'epoch' THEN 'infinity' ELSE '-infinity' END ` +
    `WHEN ${x} < TIMESTAMP '0001-01-01 00:00:00' THEN CASE WHEN ${year} = -1 THEN '0000' ELSE (${year} + 1)::text END ` +
    `|| to_char(${x}, '-MM-DD"T"HH24:MI:SS.US"Z"') ` +
    `ELSE to_char(${x}, ${TIMESTAMP_FORMAT}) END`
  );
}

/** DuckDB's CAST(date AS VARCHAR). */
function dateText(x: string): string {
  return (
    `CASE WHEN NOT isfinite(${x}) THEN CASE WHEN ${x} > DATE 'epoch' THEN 'infinity' ELSE '-infinity' END ` +
    `WHEN ${x} < DATE '0001-01-01' THEN to_char(${x}, 'YYYY-MM-DD') || ' (BC)' ` +
    `ELSE to_char(${x}, 'YYYY-MM-DD') END`
  );
}

function render(x: string, kind: Kind): string {
  switch (kind) {
    case 'integer':
    case 'boolean': // the boolean-to-text cast spells true/false (boolout's t/f is for output only)
      return `${x}::text`;
    case 'numeric':
      return numericText(x);
    case 'double':
      return doubleText(x);
    case 'real':
      return doubleText(`${x}::float8`);
    case 'date':
      return dateText(x);
    case 'timestamp':
      return timestampText(x);
    case 'timestamptz':
      return timestampText(`(${x} AT TIME ZONE 'UTC')`);
    case 'time':
      return `CASE WHEN ${x} = TIME '24:00:00' THEN '00:00:00.000000' ELSE to_char(${x}, 'HH24:MI:SS.US') END`;
    case 'text':
      return `(${x}::text COLLATE "C")`;
  }
}

/**
 * `text(x)` of DESIGN.md as a PostgreSQL expression; NULL stays NULL. `columnType` as format_type()
 * spells it (or an alias: int8, float8, varchar, timestamptz …): a type without canonical text
 * (arrays, composites, bytea, interval, time with time zone, money, enums …) is refused with
 * UnsupportedHashTypeError. Without a type, vaultline_meta.vl_text(x) picks the rendering when the
 * statement is parsed (see the header).
 */
export function canonicalText(expression: string, columnType?: string): string {
  const x = `(${expression})`;
  if (columnType === undefined) return `${HASHING_SCHEMA}.vl_text${x}`;
  const kind = kindOf(columnType);
  if (kind === undefined) throw new UnsupportedHashTypeError(columnType, CAST_ADVICE);
  return `(${render(x, kind)})`;
}

/**
 * Lowercase hex digest of a text expression's UTF-8 bytes (convert_to: the same bytes whatever the
 * database encoding). PostgreSQL's core has md5 and sha256 but no SHA-1 (only pgcrypto's digest()),
 * so sha1 is refused rather than depending on an extension being installed.
 */
export function hashText(expression: string, algorithm: HashAlgorithm): string {
  const bytes = `convert_to(${expression}, 'UTF8')`;
  switch (algorithm) {
    case 'md5':
      return `md5(${bytes})`;
    case 'sha256':
      return `encode(sha256(${bytes}), 'hex')`;
    case 'sha1':
      throw new UnsupportedHashAlgorithmError(
        'sha1',
        'PostgreSQL',
        ['md5', 'sha256'],
        "its core has no SHA-1 function (only the pgcrypto extension has, as digest(x, 'sha1'))",
      );
  }
}

/** The standard's `upper` (Dialect.upperText): vaultline_meta.vl_upper, created by hashingSetupStatements(). */
export function upperText(expression: string): string {
  return `${HASHING_SCHEMA}.vl_upper(${expression})`;
}

/** The standard's `trim` (Dialect.trimText): DuckDB's trim() removes every Zs space, not just U+0020. */
export function trimText(expression: string): string {
  return `btrim(${expression}, ${escapedLiteral(TRIMMED_SPACES)})`;
}

/** The vl_text overloads (canonicalText without a type): PostgreSQL's name of each hashable type. */
const OVERLOADS: readonly [string, Kind][] = [
  ['smallint', 'integer'],
  ['integer', 'integer'],
  ['bigint', 'integer'],
  ['numeric', 'numeric'],
  ['real', 'real'],
  ['double precision', 'double'],
  ['boolean', 'boolean'],
  ['date', 'date'],
  ['timestamp without time zone', 'timestamp'],
  ['timestamp with time zone', 'timestamptz'],
  ['time without time zone', 'time'],
  ['text', 'text'],
  ['json', 'text'],
  ['jsonb', 'text'],
  ['uuid', 'text'],
];

function textOverload(type: string, kind: Kind): string {
  // float8out must print shortest digits inside: the function sets extra_float_digits for itself
  // (which keeps it from being inlined, so the typed path only calls it in sessions that round).
  const floating = kind === 'double' || kind === 'real';
  const x = kind === 'real' ? '($1)::float8' : '($1)';
  const body = floating ? shortestDoubleText(x) : render(x, kind);
  return (
    `CREATE OR REPLACE FUNCTION ${HASHING_SCHEMA}.vl_text(${type}) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE` +
    `${floating ? ' SET extra_float_digits = 1' : ''}\nAS $fn$ SELECT ${body} $fn$`
  );
}

/**
 * The statements that create what the hashing SQL calls (vaultline_meta.vl_upper, vl_upper_unicode,
 * vl_text): run them, in order and in one transaction, whenever a PostgreSQL warehouse is opened for
 * writing, before any load. They are idempotent (CREATE OR REPLACE), take an advisory lock so that
 * two processes opening the same warehouse do not collide, and refuse a database whose encoding is
 * not UTF8 (the translate tables and convert_to need it).
 */
export function hashingSetupStatements(): string[] {
  return [
    `SELECT pg_advisory_xact_lock(hashtext('${HASHING_SCHEMA}.hashing'))`,
    `DO $do$ BEGIN IF current_setting('server_encoding') <> 'UTF8' THEN RAISE EXCEPTION ` +
      `'vaultline needs a UTF8 database for byte-identical hash keys; this one is %', ` +
      `current_setting('server_encoding') USING HINT = 'create it with ENCODING ''UTF8'' TEMPLATE template0'; END IF; END $do$`,
    `CREATE SCHEMA IF NOT EXISTS ${HASHING_SCHEMA}`,
    ...upperFunctionStatements(HASHING_SCHEMA),
    largeDoubleText(),
    ...OVERLOADS.map(([type, kind]) => textOverload(type, kind)),
    // Every other type: refused when a row is hashed, with the advice UnsupportedHashTypeError gives.
    `CREATE OR REPLACE FUNCTION ${HASHING_SCHEMA}.vl_text(anyelement) RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE\n` +
      `AS $fn$ BEGIN RAISE EXCEPTION 'type % has no canonical text for hashing; cast the column in the staging model (to ${CAST_ADVICE})', ` +
      `pg_typeof($1) USING ERRCODE = 'feature_not_supported'; END $fn$`,
  ];
}
