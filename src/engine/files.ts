/**
 * Reading local files (seed CSVs) as a relation; engines spell this differently (DuckDB read_csv,
 * Postgres COPY into a table), so the SQL comes from the engine. Pure.
 */
export interface FileSql {
  /** A SELECT over a CSV with a header row; `columnTypes` pins chosen columns' SQL types. */
  csvSelect(path: string, columnTypes: Record<string, string>): string;
}
