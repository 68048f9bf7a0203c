/** Rows compared as sets: sorted by their values (column order), whatever order the engine gave them in. */
export function inValueOrder<T extends Record<string, unknown>>(rows: T[]): T[] {
  const key = (row: T) =>
    JSON.stringify(Object.values(row), (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return rows
    .map((row) => ({ row, key: key(row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ row }) => row);
}
