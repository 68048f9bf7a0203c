/**
 * `2024-01-02 03:04:05.123` — the UTC text of a Date that every engine casts to TIMESTAMP exactly (SQL
 * literals, bulk-appended cells). One definition for the run layer, the records layer and the vault.
 */
export function timestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * A timestamp text (`YYYY-MM-DD HH:MM:SS[.ffffff]`, as a dialect's `timestampText` gives it) with
 * trailing fractional zeros and a bare point dropped: `… 00:00:00.000000` → `… 00:00:00`,
 * `.120000` → `.12`. One spelling for results whatever the engine printed (DuckDB drops the zeros,
 * PostgreSQL's fixed-width text keeps six digits); the same instant, read back the same.
 */
export function compactTimestampText(text: string): string {
  return text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
