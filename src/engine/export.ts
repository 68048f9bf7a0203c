import type { Column } from './catalog.ts';
import type { Session } from './dialect.ts';

/**
 * `vaultline export`: writing a warehouse relation to a local file with the engine's own writer.
 * DuckDB writes Parquet and CSV itself (one COPY statement); a server engine streams the rows to the
 * client (COPY … TO STDOUT) and writes the file there.
 */
export type ExportFormat = 'parquet' | 'csv';

export interface ExportInput {
  /** The relation, already quoted. */
  relation: string;
  /** Its columns as the catalog gives them. */
  columns: Column[];
  /** The local file to write. */
  path: string;
  format: ExportFormat;
}

export interface ExportSql {
  /**
   * Writes every row of `relation` to `path` on `session`, and resolves to the number of rows
   * written. Values must arrive exactly: where the format lacks a column's type, the engine picks an
   * exact one.
   */
  exportRelation(session: Session, input: ExportInput): Promise<number>;
}
