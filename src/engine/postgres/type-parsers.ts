import pg from 'pg';

/**
 * How result values become JavaScript values on this engine's sessions — set per pool (pg's `types`
 * option), never on pg's global parsers, so another pg user in the process is unaffected. Matched to
 * what the DuckDB session returns, so the run layer reads rows the same way on both engines:
 *
 * - bigint (int8) → bigint (DuckDB BIGINT → bigint); integer/smallint → number; double/real → number.
 * - numeric → string, exact: every digit as the server prints it (`2.50`). DuckDB returns DECIMAL as
 *   a JS number, which cannot hold NUMERIC's range or precision; callers that want a number convert.
 * - timestamp (without time zone) → Date read as UTC; timestamptz → Date (sessions run in UTC).
 *   Microseconds beyond the millisecond are cut, as DuckDB's Date is. `infinity` stays a string.
 * - date → Date at 00:00 UTC of that day, exactly as DuckDB's session returns a DATE.
 * - json and jsonb → the JSON text, not parsed (DuckDB returns JSON columns as text; `_record` must
 *   come back exactly as it was appended).
 * - interval → its ISO 8601 text (`P1DT2H`, IntervalStyle iso_8601): pg's interval reader knows only
 *   the postgres style. DuckDB returns an object {months, days, micros}; nothing in vaultline reads
 *   intervals from rows.
 * - arrays of these the same way, element by element; every other type keeps pg's default.
 */

const OID = {
  int8: 20,
  numeric: 1700,
  timestamp: 1114,
  timestamptz: 1184,
  date: 1082,
  json: 114,
  jsonb: 3802,
  int8Array: 1016,
  numericArray: 1231,
  timestampArray: 1115,
  timestamptzArray: 1185,
  dateArray: 1182,
  jsonArray: 199,
  jsonbArray: 3807,
  interval: 1186,
} as const;

const DATE_TIME =
  /^(\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

/**
 * A date or timestamp as the server prints it with `DateStyle ISO` (`2026-01-02 03:04:05.123456+00`,
 * `0001-01-01 00:00:00`, `0044-03-15 BC`) → Date in UTC. Date.UTC would read years 0–99 as 19xx, so
 * the year is set on its own.
 */
export function parseDateTime(text: string): Date | string {
  const m = DATE_TIME.exec(text);
  if (!m) return text; // infinity, -infinity
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', sign, oh = '0', om = '0', os = '0', bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (sign) {
    const offsetMs = (Number(oh) * 3600 + Number(om) * 60 + Number(os)) * 1000;
    date.setTime(date.getTime() - (sign === '+' ? offsetMs : -offsetMs));
  }
  return date;
}

const parseBigInt = (text: string) => BigInt(text);
const keepText = (text: string) => text;

/** pg-types' array reader (typed wrongly in its .d.ts: it is an object with `create`). */
const arrays = pg.types.arrayParser as unknown as {
  create(source: string, transform: (entry: string) => unknown): { parse(): unknown[] };
};
const arrayOf =
  (element: (text: string) => unknown) =>
  (text: string): unknown[] =>
    arrays.create(text, (entry) => (entry === null ? null : element(entry))).parse();

const PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseBigInt,
  [OID.numeric]: keepText,
  [OID.timestamp]: parseDateTime,
  [OID.timestamptz]: parseDateTime,
  [OID.date]: parseDateTime,
  [OID.json]: keepText,
  [OID.jsonb]: keepText,
  [OID.int8Array]: arrayOf(parseBigInt),
  [OID.numericArray]: arrayOf(keepText),
  [OID.timestampArray]: arrayOf(parseDateTime),
  [OID.timestamptzArray]: arrayOf(parseDateTime),
  [OID.dateArray]: arrayOf(parseDateTime),
  [OID.jsonArray]: arrayOf(keepText),
  [OID.jsonbArray]: arrayOf(keepText),
  [OID.interval]: keepText,
};

/** The `types` option of this engine's pools. */
export const sessionTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    (format ?? 'text') === 'text' && PARSERS[oid] !== undefined
      ? PARSERS[oid]
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
