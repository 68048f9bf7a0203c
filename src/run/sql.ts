import type { Dialect } from '../engine/dialect.ts';
import { timestampText } from '../shared/timestamp-text.ts';

/** Small pieces of portable SQL the run layer writes (literals for values that are not strings). */
export function timestampLiteral(dialect: Dialect, date: Date): string {
  return dialect.timestampLiteral(timestampText(date));
}

export function valueLiteral(
  dialect: Dialect,
  value: string | number | bigint | boolean | Date | null | undefined,
): string {
  if (value === undefined || value === null) return 'NULL';
  if (value instanceof Date) return timestampLiteral(dialect, value);
  if (typeof value === 'bigint') return value.toString();
  return dialect.literal(value);
}

/** One `INSERT … VALUES` per chunk of rows, so that thousands of audit rows stay reasonable statements. */
export function insertValues(
  dialect: Dialect,
  table: string,
  columns: string[],
  rows: (string | number | bigint | boolean | Date | null | undefined)[][],
  chunk = 500,
): string[] {
  const out: string[] = [];
  const cols = columns.map((c) => dialect.quoteIdentifier(c)).join(', ');
  for (let i = 0; i < rows.length; i += chunk) {
    const values = rows
      .slice(i, i + chunk)
      .map((row) => `(${row.map((v) => valueLiteral(dialect, v)).join(', ')})`)
      .join(',\n  ');
    out.push(`INSERT INTO ${table} (${cols}) VALUES\n  ${values}`);
  }
  return out;
}

/** SQL text a model or test renders to, made safe to wrap: no trailing `;`, and a newline so that a
 * trailing `-- comment` cannot swallow the closing parenthesis. */
export function wrappable(sql: string): string {
  return sql
    .trim()
    .replace(/;+\s*$/, '')
    .trimEnd();
}
