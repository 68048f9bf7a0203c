/**
 * `2024-01-02 03:04:05.123` — the UTC text of a Date that every engine casts to TIMESTAMP exactly (SQL
 * literals, bulk-appended cells). One definition for the run layer, the records layer and the vault.
 */
export function timestampText(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
