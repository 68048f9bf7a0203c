/**
 * Column types of a seed CSV, guessed from every value the way DuckDB's read_csv sniffer types the
 * simple cases, so a seed gets the same columns on both engines: all values (empty ones, quoted or
 * not, are NULL as on DuckDB, and do not count) true/false → boolean; integers in the int64 range → bigint; integers and decimal or
 * exponent numbers → double precision; YYYY-MM-DD calendar dates → date; dates and
 * `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]` → timestamp; anything else, or no value at all → text.
 * Unlike DuckDB's sniffer (a sample of rows), every value is looked at, so a late odd value makes the
 * column text instead of failing the load.
 */
export type SniffedType = 'boolean' | 'bigint' | 'double precision' | 'date' | 'timestamp' | 'text';

const BOOLEAN = /^(true|false)$/i;
// A leading zero (`007`) keeps the text, as DuckDB's sniffer does: it is a code, not a number.
const INTEGER = /^[+-]?(0|[1-9]\d*)$/;
const NUMBER = /^[+-]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?$/;
const INT64_MAX = 9223372036854775807n;

function isCalendarDate(y: string, m: string, d: string): boolean {
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(m) - 1, Number(d));
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) && Number(y) >= 1;
}

function isInt64(text: string): boolean {
  const value = BigInt(text);
  return value <= INT64_MAX && value >= -INT64_MAX - 1n;
}

/** Flags narrowed value by value: a column keeps the first type every value so far fits. */
export class ColumnSniffer {
  private seen = false;
  private boolean = true;
  private bigint = true;
  private double = true;
  private date = true;
  private timestamp = true;

  see(value: string): void {
    this.seen = true;
    if (this.boolean && !BOOLEAN.test(value)) this.boolean = false;
    if (this.bigint && !(INTEGER.test(value) && isInt64(value))) this.bigint = false;
    if (this.double && !(NUMBER.test(value) && Number.isFinite(Number(value)))) this.double = false;
    if (this.date || this.timestamp) {
      const d = DATE.exec(value);
      const isDate = d !== null && isCalendarDate(d[1]!, d[2]!, d[3]!);
      const t = isDate ? null : TIMESTAMP.exec(value);
      const isTimestamp =
        t !== null &&
        isCalendarDate(t[1]!, t[2]!, t[3]!) &&
        Number(t[4]) < 24 &&
        Number(t[5]) < 60 &&
        Number(t[6] ?? 0) < 60;
      if (!isDate) this.date = false;
      if (!isDate && !isTimestamp) this.timestamp = false;
    }
  }

  get type(): SniffedType {
    if (!this.seen) return 'text';
    if (this.boolean) return 'boolean';
    if (this.bigint) return 'bigint';
    if (this.double) return 'double precision';
    if (this.date) return 'date';
    if (this.timestamp) return 'timestamp';
    return 'text';
  }
}
