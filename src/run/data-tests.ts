import { wrappable } from './sql.ts';

/**
 * Data tests: a test node renders to a query returning its failing rows. The run counts them and keeps
 * a small sample, so a failure says how many rows and shows some of them.
 */
export const SAMPLE_SIZE = 5;

export function failureCountQuery(sql: string): string {
  return `SELECT count(*) AS failures FROM (\n${wrappable(sql)}\n) AS __vl_test`;
}

export function failureSampleQuery(sql: string, limit = SAMPLE_SIZE): string {
  return `SELECT * FROM (\n${wrappable(sql)}\n) AS __vl_test LIMIT ${limit}`;
}

/** JSON-safe copies of result values (BIGINT → number when exact, else string; dates → ISO text). */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

export function plainRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => plainValue(row) as Record<string, unknown>);
}
