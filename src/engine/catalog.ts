import type { Session } from './dialect.ts';

/** What the warehouse holds: used to choose between a first build and an incremental one, to swap a
 * view for a table, and to compare an incremental model's new columns with its table's. */
export interface Column {
  name: string;
  /** The engine's full type, usable in ALTER TABLE … ADD COLUMN (e.g. `STRUCT(x INTEGER)[]`). */
  dataType: string;
}

export interface Catalog {
  relationKind(session: Session, schema: string, name: string): Promise<'table' | 'view' | undefined>;
  columns(session: Session, schema: string, name: string): Promise<Column[]>;
  /** Columns of a temporary table created in this session. */
  tempColumns(session: Session, name: string): Promise<Column[]>;
  /**
   * The columns a SELECT would return, without running it or creating anything (DuckDB: DESCRIBE;
   * a server engine: prepare the statement and read its result description). Throws SqlError when
   * the query does not bind (an unknown relation or column).
   */
  queryColumns(session: Session, sql: string): Promise<Column[]>;
}
