/**
 * Writing compacted months (src/run/compaction/): the engine-specific SQL, as pure functions
 * returning SQL text. The run layer stages the month's objects in a newline-delimited JSON file (one
 * line per object: `{"k": key, "t": load_ts, "s": sha256, "v": valid_json, "p": body text, "f": local
 * gzip path}`), loads it into a scratch table, checks it, and copies it to one Parquet file with the
 * columns `_landing_key`, `_load_ts`, `sha256`, `valid_json`, `payload`, one row per object in key order.
 */
export interface CompactionSql {
  /** Statements that load the staged file into table `table` (columns k, t, s, v, p, f). */
  load(input: { staging: string; table: string; maxLineBytes: number }): string[];
  /** Rows `{ key }` whose payload text does not hash to the sidecar's sha256 (must be none). */
  hashMismatches(table: string): string;
  /**
   * Rows `{ key, documents, same }` for the staged objects whose gzip body is one of `paths`: how many
   * documents the landed-JSON reader finds in the body, and whether the compacted row would read as
   * exactly that one document. Throws when any of the bodies does not parse (the caller narrows down).
   */
  documents(table: string, paths: { path: string; bytes: number }[]): string;
  /**
   * Whether an error of `documents` (a SqlError's cause) means a body cannot be read as JSON (not
   * gzip, malformed, a value that does not convert) rather than a failure of the engine itself.
   */
  isUnreadableBody(error: unknown): boolean;
  /** Statements that drop `keys` from the staged table (objects that stay JSON-only). */
  exclude(table: string, keys: string[]): string[];
  /** The COPY statement writing the staged table to `out`. */
  copy(input: { table: string; out: string; rowGroupSize: number }): string;
  /** Rows `{ key, sha256, ok }` of a written file in file order; `ok` = the payload hashes to sha256. */
  written(out: string): string;
  /** One row `{ row_groups }`. */
  rowGroups(out: string): string;
}
