/**
 * Typed conversion of JSON values for a declared source contract.
 *
 * Every value of a contract column is converted here, in Node and engine-agnostically, to a canonical TEXT
 * that DuckDB and PostgreSQL both `CAST(text AS <type>)` exactly and without error — or, when it does not
 * convert, to a reason: the column gets NULL and a reject row names the value and the reason. JSON `null`
 * (and a missing value) is always SQL NULL, for every type. Leading and trailing whitespace of a string is
 * ignored for every type except text.
 *
 * - **text**: a string is itself; a number its JSON text (`String(n)`, so `-0` → `0`, `1e21` → `1e+21`; a
 *   number JSON.parse cannot hold exactly keeps its raw text); a boolean `true`/`false`. An object or array
 *   rejects (declare data_type: json, or a path into it). A string containing the character U+0000 rejects:
 *   PostgreSQL text cannot hold it.
 * - **smallint / integer / bigint** (the ranges of int16 / int32 / int64): a number that is integral and in
 *   range (`5.0` → `5`, `1e3` → `1000`, big numbers exactly: `9007199254740993` stays that); `5.5` rejects
 *   "not an integer", `12345678901234567890` "out of range for bigint". A numeric string (`"42"`, `" 42 "`,
 *   `"-7"`, `"4.0"`) converts the same way; any other string rejects "not a number". Booleans, objects and
 *   arrays reject.
 * - **double**: a number → `String(n)`; a number beyond the double range (`1e400`) rejects; more digits
 *   than a double holds are rounded (it is a double). A numeric string converts the same way: the JSON
 *   number grammar, also with a leading `+`, `.5` or `5.`; not hexadecimal/binary/octal, `Infinity`, `NaN`
 *   or an empty string.
 * - **decimal(p,s)**: a number or numeric string → the exact decimal text with exactly s fraction digits and
 *   no exponent (`12.345` in decimal(10,2) → `12.35`). Strings and big numbers are never read through a
 *   float; a plain number is read from its shortest text `String(n)` (so `0.1` is 0.1). The fraction is
 *   rounded to s digits half away from zero (`2.345` → `2.35`, `-2.345` → `-2.35`) here, so every engine
 *   stores the same value. A value with more than p−s integer digits (after rounding) rejects "does not fit
 *   decimal(p,s)".
 * - **boolean**: `true`/`false`; the strings `"true"`/`"false"` (any case); the numbers 0 and 1. Anything
 *   else rejects (also the strings `"0"`, `"1"`, `"yes"`).
 * - **date** → `YYYY-MM-DD`. Without format: a string `YYYY-MM-DD` that is a real calendar date
 *   (`2023-02-29` rejects), or a full ISO 8601 timestamp with `Z` or an offset → its UTC date. A timestamp
 *   without offset rejects (its UTC date is unknown; declare timestamp, or give a format). With a format:
 *   parsed by it as for timestamp, then its date.
 * - **timestamp** → `YYYY-MM-DD HH:MM:SS.ffffff` (always 6 fraction digits). Without format: ISO 8601
 *   `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `…:SS` or `…:SS.f` with 1 to 9 fraction digits (beyond 6 they are
 *   cut, not rounded); `T` or a space between date and time; optionally `Z` or an offset `±HH:MM`, `±HHMM`,
 *   `±HH`, which converts the time to UTC. **A text without offset is kept as written; it is not
 *   converted.** Ranges are checked: year 0001–9999 (also after conversion to UTC), month 1–12, the days of
 *   the month (leap years included), hour ≤ 23, minute ≤ 59, second ≤ 59. A number without format rejects
 *   (set format: epoch_ms or epoch_s).
 * - **json**: any value → its JSON text (numbers JSON.parse cannot hold keep their raw text).
 *
 * `format:` (date and timestamp columns only):
 * - `epoch_ms` / `epoch_s`: a number or numeric string of milliseconds / seconds since 1970-01-01 UTC;
 *   fractions down to the microsecond are kept (finer ones are cut towards the past); beyond the years
 *   0001–9999 rejects.
 * - a strptime pattern made of `%Y` (4 digits), `%m`, `%d`, `%H`, `%M`, `%S` (1 or 2 digits, as Python's
 *   strptime), `%f` (1 to 9 fraction digits), `%%` and literal characters, e.g. `%Y%m%d%H` for Wikimedia's
 *   `2025010100`. The whole (trimmed) string must match. A number is matched by its JSON text. `%Y` is
 *   required; a missing month or day is 1, a missing time 00:00:00. There is no offset: the time is kept
 *   as written.
 *
 * Reasons are short and lower-case, name the declared type where it helps, and end with `: ` and the value
 * (strings quoted as JSON; at most 80 characters, cut with `…`), e.g. `not a number: "n/a"`,
 * `out of range for bigint: 1e400`.
 */
import { type ContractType, contractTypeName } from './contract-types.ts';
import { isRawNumber } from './raw-number.ts';

export interface ConvertOptions {
  /** timestamp/date only: 'epoch_ms' | 'epoch_s' (a JSON number or numeric string of ms/s since 1970, UTC), or a strptime pattern over a string using only %Y %m %d %H %M %S %f %% and literal characters (e.g. '%Y%m%d%H' for Wikimedia's "2025010100"). Without format: ISO 8601 text. */
  format?: string;
}

export type Converted = { ok: true; text: string | null } | { ok: false; reason: string };

const NULL_TEXT: Converted = Object.freeze({ ok: true, text: null });
const TRUE_TEXT: Converted = Object.freeze({ ok: true, text: 'true' });
const FALSE_TEXT: Converted = Object.freeze({ ok: true, text: 'false' });

const REASON_VALUE_LIMIT = 80;
const REJECT_VALUE_LIMIT = 500;

/** `value` is a parsed JSON value (string, number, boolean, null, object, array, or RawNumber). null → {ok:true,text:null}. */
export function convertValue(value: unknown, type: ContractType, options?: ConvertOptions): Converted {
  if (value === null || value === undefined) return NULL_TEXT;
  switch (type.kind) {
    case 'text':
      return toText(value);
    case 'smallint':
      return toInteger(value, SMALLINT);
    case 'integer':
      return toInteger(value, INTEGER);
    case 'bigint':
      return toInteger(value, BIGINT);
    case 'double':
      return toDouble(value);
    case 'decimal':
      return toDecimal(value, type.precision, type.scale);
    case 'boolean':
      return toBoolean(value);
    case 'date':
      return toTemporal(value, false, options?.format);
    case 'timestamp':
      return toTemporal(value, true, options?.format);
    case 'json':
      return { ok: true, text: jsonText(value, Number.POSITIVE_INFINITY) };
  }
}

/** The value as it was, for a reject row: strings as is, anything else as JSON (RawNumber as its raw text), cut to 500 characters with '…'. */
export function rejectValueText(value: unknown): string {
  const text =
    typeof value === 'string' ? value : value === undefined ? 'null' : jsonText(value, REJECT_VALUE_LIMIT);
  return cut(text, REJECT_VALUE_LIMIT);
}

/** Validates a format for a type at config time: undefined when fine, else the problem (e.g. format on a double column, an unknown % directive). */
export function checkFormat(type: ContractType, format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  if (type.kind !== 'date' && type.kind !== 'timestamp') {
    return `format applies only to date and timestamp columns, not ${contractTypeName(type)}`;
  }
  if (typeof format !== 'string') return 'format must be a string';
  if (format === EPOCH_MS || format === EPOCH_S) return undefined;
  const compiled = compileFormat(format);
  return typeof compiled === 'string' ? compiled : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Reasons

function ok(text: string): Converted {
  return { ok: true, text };
}

function fail(reason: string, value: unknown): Converted {
  return { ok: false, reason: `${reason}: ${show(value)}` };
}

/** The value for a reason: at most 80 characters, strings quoted as JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(cut(value, REASON_VALUE_LIMIT));
  if (typeof value === 'number') return String(value);
  return cut(jsonText(value, REASON_VALUE_LIMIT), REASON_VALUE_LIMIT);
}

/** At most `limit` characters, the last one '…' when cut (never splitting a surrogate pair). */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

function article(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null || value === undefined) return 'null';
  if (isRawNumber(value)) return 'a number';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'boolean':
      return 'a boolean';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'string':
      return 'a string';
    default:
      return `a ${typeof value}`;
  }
}

function mismatch(value: unknown, declared: string): Converted {
  return fail(`${article(value)} where ${declared} is declared`, value);
}

// ---------------------------------------------------------------------------------------------------------
// text

const TEXT_CONTAINER_HINT = ' (declare data_type: json, or a path into it)';

function toText(value: unknown): Converted {
  if (typeof value === 'string') {
    if (value.indexOf('\u0000') === -1) return { ok: true, text: value };
    return fail('a NUL character (U+0000) in text, which PostgreSQL cannot store', value);
  }
  if (typeof value === 'number') return { ok: true, text: String(value) };
  if (typeof value === 'boolean') return value ? TRUE_TEXT : FALSE_TEXT;
  if (isRawNumber(value)) return { ok: true, text: value.text };
  if (typeof value === 'bigint') return { ok: true, text: value.toString() };
  if (typeof value === 'object') {
    return fail(`${article(value)} where text is declared${TEXT_CONTAINER_HINT}`, value);
  }
  return mismatch(value, 'text');
}

// ---------------------------------------------------------------------------------------------------------
// Exact decimal numbers

/** An exact decimal: (neg ? -1 : 1) × digits × 10^exp; digits has no leading or trailing zeros ('' is zero). */
interface Dec {
  neg: boolean;
  digits: string;
  exp: number;
}

/** Exponents beyond this are clamped: any value with them is out of every range (or rounds to zero). */
const EXP_CLAMP = 1e9;

/**
 * Reads a number in JSON grammar, also with a leading '+', `.5` or `5.` (what `Number()` accepts in
 * decimal notation); the text must already be trimmed. undefined when it is not such a number.
 */
function parseDec(text: string): Dec | undefined {
  const end = text.length;
  let i = 0;
  let neg = false;
  let c = text.charCodeAt(0);
  if (c === 45 /* - */) {
    neg = true;
    i++;
  } else if (c === 43 /* + */) {
    i++;
  }
  const intStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    i++;
    fracStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return undefined;
  let exp = 0;
  if (i < end) {
    c = text.charCodeAt(i);
    if (c !== 101 /* e */ && c !== 69 /* E */) return undefined;
    i++;
    let expNeg = false;
    c = text.charCodeAt(i);
    if (c === 45) {
      expNeg = true;
      i++;
    } else if (c === 43) {
      i++;
    }
    const expStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart || i !== end) return undefined;
    exp = i - expStart > 10 ? EXP_CLAMP : Math.min(Number(text.slice(expStart, i)), EXP_CLAMP);
    if (expNeg) exp = -exp;
  }
  let digits = text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd);
  exp -= fracEnd - fracStart;
  let first = 0;
  while (first < digits.length && digits.charCodeAt(first) === 48) first++;
  if (first === digits.length) return { neg, digits: '', exp: 0 };
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === 48) last--;
  exp += digits.length - last;
  digits = digits.slice(first, last);
  return { neg, digits, exp };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The exact decimal of any number-like value; undefined when it is not one (the caller rejects). */
function decOf(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? parseDec(String(value)) : undefined;
  if (typeof value === 'string') return parseDec(value.trim());
  if (isRawNumber(value)) return parseDec(value.text.trim());
  if (typeof value === 'bigint') return parseDec(value.toString());
  return undefined;
}

/** The reason for a value decOf could not read. */
function notNumeric(value: unknown, declared: string): Converted {
  if (typeof value === 'string') return fail('not a number', value);
  if (typeof value === 'number') {
    return Number.isNaN(value) ? fail('not a number', value) : fail(`out of range for ${declared}`, value);
  }
  if (isRawNumber(value)) return fail('not a number', value);
  return mismatch(value, declared);
}

// ---------------------------------------------------------------------------------------------------------
// smallint / integer / bigint

interface IntRange {
  name: 'smallint' | 'integer' | 'bigint';
  min: number;
  /** max + 1, exactly representable as a double (max itself is not, for bigint). */
  maxExclusive: number;
  minBig: bigint;
  maxBig: bigint;
  maxDigits: number;
}

const SMALLINT: IntRange = {
  name: 'smallint',
  min: -32768,
  maxExclusive: 32768,
  minBig: -32768n,
  maxBig: 32767n,
  maxDigits: 5,
};
const INTEGER: IntRange = {
  name: 'integer',
  min: -2147483648,
  maxExclusive: 2147483648,
  minBig: -2147483648n,
  maxBig: 2147483647n,
  maxDigits: 10,
};
const BIGINT: IntRange = {
  name: 'bigint',
  min: -(2 ** 63),
  maxExclusive: 2 ** 63,
  minBig: -9223372036854775808n,
  maxBig: 9223372036854775807n,
  maxDigits: 19,
};

function toInteger(value: unknown, range: IntRange): Converted {
  if (typeof value === 'number') {
    if (value >= range.min && value < range.maxExclusive && Number.isInteger(value)) {
      return { ok: true, text: Number.isSafeInteger(value) ? String(value) : BigInt(value).toString() };
    }
    if (Number.isNaN(value)) return fail('not a number', value);
    if (Number.isFinite(value) && !Number.isInteger(value)) return fail('not an integer', value);
    return fail(`out of range for ${range.name}`, value);
  }
  const dec = decOf(value);
  if (dec === undefined) return notNumeric(value, range.name);
  if (dec.digits === '') return ok('0');
  if (dec.exp < 0) return fail('not an integer', value);
  if (dec.digits.length + dec.exp > range.maxDigits) return fail(`out of range for ${range.name}`, value);
  const magnitude = BigInt(dec.exp === 0 ? dec.digits : dec.digits + '0'.repeat(dec.exp));
  const n = dec.neg ? -magnitude : magnitude;
  if (n < range.minBig || n > range.maxBig) return fail(`out of range for ${range.name}`, value);
  return ok(n.toString());
}

// ---------------------------------------------------------------------------------------------------------
// double

function toDouble(value: unknown): Converted {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return { ok: true, text: String(value) };
    return Number.isNaN(value) ? fail('not a number', value) : fail('out of range for double', value);
  }
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
    if (parseDec(text) === undefined) return fail('not a number', value);
  } else if (isRawNumber(value)) {
    text = value.text;
  } else if (typeof value === 'bigint') {
    text = value.toString();
  } else {
    return mismatch(value, 'double');
  }
  const n = Number(text);
  if (Number.isFinite(n)) return ok(String(n));
  return Number.isNaN(n) ? fail('not a number', value) : fail('out of range for double', value);
}

// ---------------------------------------------------------------------------------------------------------
// decimal(p,s)

function toDecimal(value: unknown, precision: number, scale: number): Converted {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    const text = String(value);
    // Fast path: a small integer needs only its fraction zeros.
    if (text.length - (value < 0 ? 1 : 0) <= precision - scale) {
      return { ok: true, text: scale === 0 ? text : text + '.' + '0'.repeat(scale) };
    }
  }
  const dec = decOf(value);
  if (dec === undefined) return notNumeric(value, `decimal(${precision},${scale})`);
  const zero = scale === 0 ? '0' : '0.' + '0'.repeat(scale);
  if (dec.digits === '') return ok(zero);
  if (dec.digits.length + dec.exp > precision - scale)
    return fail(`does not fit decimal(${precision},${scale})`, value);

  // The value × 10^scale, rounded half away from zero to an integer.
  const shift = dec.exp + scale;
  let scaled: string;
  if (shift >= 0) {
    scaled = dec.digits + '0'.repeat(shift);
  } else {
    const keep = dec.digits.length + shift;
    if (keep < 0) {
      scaled = '0';
    } else {
      scaled = keep === 0 ? '0' : dec.digits.slice(0, keep);
      if (dec.digits.charCodeAt(keep) >= 53 /* 5 */) scaled = (BigInt(scaled) + 1n).toString();
    }
  }
  if (scaled === '0') return ok(zero);
  if (scaled.length > precision) return fail(`does not fit decimal(${precision},${scale})`, value);
  const sign = dec.neg ? '-' : '';
  if (scale === 0) return ok(sign + scaled);
  const padded = scaled.length > scale ? scaled : scaled.padStart(scale + 1, '0');
  const point = padded.length - scale;
  return ok(sign + padded.slice(0, point) + '.' + padded.slice(point));
}

// ---------------------------------------------------------------------------------------------------------
// boolean

function toBoolean(value: unknown): Converted {
  if (typeof value === 'boolean') return value ? TRUE_TEXT : FALSE_TEXT;
  if (typeof value === 'string') {
    const text = value.length <= 16 ? value.trim().toLowerCase() : '';
    if (text === 'true') return TRUE_TEXT;
    if (text === 'false') return FALSE_TEXT;
    return fail('not a boolean', value);
  }
  if (typeof value === 'number') {
    if (value === 1) return TRUE_TEXT;
    if (value === 0) return FALSE_TEXT;
    return fail('not a boolean', value);
  }
  if (isRawNumber(value) || typeof value === 'bigint') {
    const dec = decOf(value);
    if (dec !== undefined && dec.digits === '') return FALSE_TEXT;
    if (dec !== undefined && !dec.neg && dec.digits === '1' && dec.exp === 0) return TRUE_TEXT;
    return fail('not a boolean', value);
  }
  return mismatch(value, 'boolean');
}

// ---------------------------------------------------------------------------------------------------------
// date / timestamp

const EPOCH_MS = 'epoch_ms';
const EPOCH_S = 'epoch_s';

const SECONDS_PER_DAY = 86400;
/** 0001-01-01 00:00:00 and 9999-12-31 23:59:59 UTC in seconds since 1970. */
const MIN_SECONDS = daysFromCivil(1, 1, 1) * SECONDS_PER_DAY;
const MAX_SECONDS = daysFromCivil(9999, 12, 31) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/** A wall-clock or UTC time of day on a calendar date; us is microseconds. */
interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
}

function toTemporal(value: unknown, withTime: boolean, format: string | undefined): Converted {
  const declared = withTime ? 'timestamp' : 'date';
  if (format === EPOCH_MS || format === EPOCH_S) return fromEpoch(value, format === EPOCH_MS, withTime);
  if (format !== undefined) return fromPattern(value, format, withTime);
  if (typeof value !== 'string') {
    if (typeof value === 'number' || typeof value === 'bigint' || isRawNumber(value)) {
      return fail(`a number where a ${declared} is declared (set format: epoch_ms or epoch_s)`, value);
    }
    return mismatch(value, declared);
  }
  const text = value.trim();
  const m = ISO_RE.exec(text);
  if (m === null) return fail(`not an ISO 8601 ${declared}`, value);
  const fields: Fields = {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: m[4] === undefined ? 0 : Number(m[4]),
    mi: m[5] === undefined ? 0 : Number(m[5]),
    s: m[6] === undefined ? 0 : Number(m[6]),
    us: m[7] === undefined ? 0 : Number(m[7].length >= 6 ? m[7].slice(0, 6) : m[7].padEnd(6, '0')),
  };
  const invalid = invalidField(fields);
  if (invalid !== undefined) return fail(`${invalid} out of range in ${declared}`, value);
  const hasOffset = m[8] !== undefined || m[9] !== undefined;
  if (!hasOffset) {
    if (withTime) return ok(timestampText(fields));
    if (m[4] === undefined) return ok(text);
    return fail('a timestamp without offset where a date is declared (its UTC date is unknown)', value);
  }
  let offsetSeconds = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return fail(`offset out of range in ${declared}`, value);
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const seconds = secondsOf(fields) - offsetSeconds;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return fail(`out of range for ${declared}`, value);
  return ok(utcText(seconds, fields.us, withTime));
}

function fromEpoch(value: unknown, millis: boolean, withTime: boolean): Converted {
  const declared = withTime ? 'timestamp' : 'date';
  let seconds: number;
  let us: number;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (millis) {
      seconds = Math.floor(value / 1000);
      us = (value - seconds * 1000) * 1000;
    } else {
      seconds = value;
      us = 0;
    }
  } else {
    const dec = decOf(value);
    if (dec === undefined) return notNumeric(value, declared);
    // Microseconds since 1970, floored; anything with more than 22 digits is far beyond year 9999.
    const shift = dec.exp + (millis ? 3 : 6);
    let micros = 0n;
    if (dec.digits !== '') {
      if (dec.digits.length + shift > 22) return fail(`out of range for ${declared}`, value);
      let magnitude: bigint;
      let dropped = false;
      if (shift >= 0) {
        magnitude = BigInt(dec.digits + '0'.repeat(shift));
      } else {
        const keep = dec.digits.length + shift;
        magnitude = keep > 0 ? BigInt(dec.digits.slice(0, keep)) : 0n;
        dropped = true; // digits has no trailing zeros: something non-zero was cut
      }
      micros = dec.neg ? -magnitude - (dropped ? 1n : 0n) : magnitude;
    }
    let secondsBig = micros / 1000000n;
    let rest = micros - secondsBig * 1000000n;
    if (rest < 0n) {
      secondsBig -= 1n;
      rest += 1000000n;
    }
    seconds = Number(secondsBig);
    us = Number(rest);
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return fail(`out of range for ${declared}`, value);
  return ok(utcText(seconds, us, withTime));
}

function fromPattern(value: unknown, format: string, withTime: boolean): Converted {
  const declared = withTime ? 'timestamp' : 'date';
  const compiled = compileFormat(format);
  if (typeof compiled === 'string') return fail(`invalid format (${compiled})`, value);
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (isRawNumber(value)) text = value.text;
  else return mismatch(value, declared);
  const m = compiled.re.exec(text);
  if (m === null) return fail(`does not match format ${JSON.stringify(format)}`, value);
  const fields: Fields = { y: 1, mo: 1, d: 1, h: 0, mi: 0, s: 0, us: 0 };
  for (let i = 0; i < compiled.fields.length; i++) {
    const part = m[i + 1]!;
    switch (compiled.fields[i]) {
      case 'Y':
        fields.y = Number(part);
        break;
      case 'm':
        fields.mo = Number(part);
        break;
      case 'd':
        fields.d = Number(part);
        break;
      case 'H':
        fields.h = Number(part);
        break;
      case 'M':
        fields.mi = Number(part);
        break;
      case 'S':
        fields.s = Number(part);
        break;
      case 'f':
        fields.us = Number(part.length >= 6 ? part.slice(0, 6) : part.padEnd(6, '0'));
        break;
    }
  }
  const invalid = invalidField(fields);
  if (invalid !== undefined) return fail(`${invalid} out of range in ${declared}`, value);
  return ok(withTime ? timestampText(fields) : dateText(fields.y, fields.mo, fields.d));
}

/** The first field out of its range, or undefined. */
function invalidField(f: Fields): string | undefined {
  if (f.y < 1 || f.y > 9999) return 'year';
  if (f.mo < 1 || f.mo > 12) return 'month';
  if (f.d < 1 || f.d > daysInMonth(f.y, f.mo)) return 'day';
  if (f.h > 23) return 'hour';
  if (f.mi > 59) return 'minute';
  if (f.s > 59) return 'second';
  return undefined;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, mo: number, d: number): number {
  const year = mo <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function secondsOf(f: Fields): number {
  return daysFromCivil(f.y, f.mo, f.d) * SECONDS_PER_DAY + f.h * 3600 + f.mi * 60 + f.s;
}

/** The UTC date (and time) of seconds since 1970 (H. Hinnant's civil_from_days). */
function utcText(seconds: number, us: number, withTime: boolean): string {
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  if (!withTime) return dateText(y, mo, d);
  const secondOfDay = seconds - days * SECONDS_PER_DAY;
  const h = Math.floor(secondOfDay / 3600);
  const mi = Math.floor((secondOfDay - h * 3600) / 60);
  return timestampText({ y, mo, d, h, mi, s: secondOfDay - h * 3600 - mi * 60, us });
}

function dateText(y: number, mo: number, d: number): string {
  return String(y).padStart(4, '0') + '-' + pad2(mo) + '-' + pad2(d);
}

function timestampText(f: Fields): string {
  return (
    dateText(f.y, f.mo, f.d) +
    ' ' +
    pad2(f.h) +
    ':' +
    pad2(f.mi) +
    ':' +
    pad2(f.s) +
    '.' +
    String(f.us).padStart(6, '0')
  );
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

// ---------------------------------------------------------------------------------------------------------
// strptime patterns

type Directive = 'Y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'f';

interface CompiledFormat {
  re: RegExp;
  fields: Directive[];
}

/** The digits each directive matches: Python's strptime patterns (so `%m%d` reads "131" as 1/31). */
const DIRECTIVE_PATTERNS: Record<Directive, string> = {
  Y: '(\\d{4})',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9])',
  H: '(2[0-3]|[01]\\d|\\d)',
  M: '([0-5]\\d|\\d)',
  S: '([0-5]\\d|\\d)',
  f: '(\\d{1,9})',
};

/** A directive that only makes sense with the coarser one. */
const NEEDS: Partial<Record<Directive, Directive>> = { d: 'm', M: 'H', S: 'M', f: 'S' };

const REGEX_SPECIAL_RE = /[.*+?^${}()|[\]\\/-]/g;
const ALLOWED_DIRECTIVES = '%Y %m %d %H %M %S %f %%';

const compiledFormats = new Map<string, CompiledFormat | string>();

/** The compiled pattern, or the problem with it. Cached: formats come from the configuration. */
function compileFormat(format: string): CompiledFormat | string {
  const cached = compiledFormats.get(format);
  if (cached !== undefined) return cached;
  const compiled = compileFormatUncached(format);
  compiledFormats.set(format, compiled);
  return compiled;
}

function compileFormatUncached(format: string): CompiledFormat | string {
  const quoted = JSON.stringify(format);
  if (!format.includes('%')) {
    return `unknown format ${quoted}: use epoch_ms, epoch_s or a strptime pattern such as %Y-%m-%d %H:%M:%S`;
  }
  let source = '^';
  const fields: Directive[] = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      literal += c;
      continue;
    }
    const next = format[i + 1];
    i++;
    if (next === undefined) return `format ${quoted} ends with a lone %`;
    if (next === '%') {
      literal += '%';
      continue;
    }
    if (!Object.hasOwn(DIRECTIVE_PATTERNS, next)) {
      return `unknown directive %${next} in format ${quoted} (use ${ALLOWED_DIRECTIVES} and literal characters)`;
    }
    const directive = next as Directive;
    if (fields.includes(directive)) return `%${directive} appears twice in format ${quoted}`;
    source += literal.replace(REGEX_SPECIAL_RE, '\\$&') + DIRECTIVE_PATTERNS[directive];
    literal = '';
    fields.push(directive);
  }
  source += literal.replace(REGEX_SPECIAL_RE, '\\$&') + '$';
  if (!fields.includes('Y')) return `format ${quoted} has no %Y (the year)`;
  for (const field of fields) {
    const needed = NEEDS[field];
    if (needed !== undefined && !fields.includes(needed))
      return `format ${quoted} has %${field} without %${needed}`;
  }
  return { re: new RegExp(source), fields };
}

// ---------------------------------------------------------------------------------------------------------
// JSON text

/**
 * JSON.stringify's output, with a RawNumber written as its raw text. Stops adding once the text is longer
 * than `limit` (for reject rows and reasons, which are cut anyway).
 */
function jsonText(value: unknown, limit: number): string {
  const out: string[] = [];
  let length = 0;
  const push = (text: string): void => {
    out.push(text);
    length += text.length;
  };
  const write = (v: unknown): void => {
    if (length > limit) return;
    switch (typeof v) {
      case 'string':
        push(JSON.stringify(v));
        return;
      case 'number':
        push(Number.isFinite(v) ? String(v) : 'null');
        return;
      case 'boolean':
        push(v ? 'true' : 'false');
        return;
      case 'bigint':
        push(v.toString());
        return;
      case 'object':
        break;
      default:
        push('null');
        return;
    }
    if (v === null) {
      push('null');
      return;
    }
    if (isRawNumber(v)) {
      push(v.text);
      return;
    }
    if (Array.isArray(v)) {
      push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) push(',');
        write(v[i]);
        if (length > limit) return;
      }
      push(']');
      return;
    }
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      write(toJSON.call(v));
      return;
    }
    push('{');
    let first = true;
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      push(first ? JSON.stringify(key) + ':' : ',' + JSON.stringify(key) + ':');
      first = false;
      write(item);
      if (length > limit) return;
    }
    push('}');
  };
  write(value);
  return out.join('');
}
