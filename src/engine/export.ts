import type { Column } from './catalog.ts';

/**
 * `vaultline export`: writing a warehouse relation to a file, as pure SQL. DuckDB writes Parquet and
 * CSV itself (COPY); another engine would export through its own bulk path.
 */
export type ExportFormat = 'parquet' | 'csv';

export interface ExportSql {
  /**
   * One statement writing every row of `relation` (already quoted; `columns` as the catalog gives
   * them) to the local file `path`. Values must arrive exactly: where the format lacks a column's
   * type, the engine picks an exact one. Run as a query, it returns one row whose first column is the
   * number of rows written.
   */
  copyTo(input: { relation: string; columns: Column[]; path: string; format: ExportFormat }): string;
}
