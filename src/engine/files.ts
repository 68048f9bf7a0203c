import type { Session } from './dialect.ts';

/**
 * Reading local files (seed CSVs) as a relation. DuckDB reads the file itself (read_csv); a server
 * engine cannot read the client's files, so it is handed the file first: `stageCsv` copies it into
 * the session (PostgreSQL: a temporary table filled by COPY FROM STDIN, dropped at commit), and
 * `csvSelect` is then the SELECT over what was staged. The seed step calls both, in this order, on
 * the transaction that creates the seed's table.
 */
export interface FileSql {
  /**
   * Makes the CSV at `path` readable by `csvSelect(path, columnTypes)` on `session` (a transaction's
   * session): nothing to do on DuckDB.
   */
  stageCsv(session: Session, path: string, columnTypes: Record<string, string>): Promise<void>;
  /** A SELECT over a CSV with a header row; `columnTypes` pins chosen columns' SQL types. Pure. */
  csvSelect(path: string, columnTypes: Record<string, string>): string;
}
