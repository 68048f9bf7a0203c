import type { Catalog } from './catalog.ts';
import type { CompactionSql } from './compaction.ts';
import type { Dialect, Session } from './dialect.ts';
import { duckdbCatalog } from './duckdb/catalog.ts';
import { duckdbCompaction } from './duckdb/compaction.ts';
import { duckdbDialect } from './duckdb/dialect.ts';
import { duckdbExport } from './duckdb/export.ts';
import { duckdbFiles } from './duckdb/files.ts';
import { duckdbLandedJson } from './duckdb/landed-json.ts';
import { openDuckDbSession } from './duckdb/session.ts';
import type { ExportSql } from './export.ts';
import type { FileSql } from './files.ts';
import type { LandedJsonSql } from './landed-json.ts';

/**
 * Everything the run layer needs from one warehouse engine: its SQL dialect, how to open a session,
 * and the engine-specific readers (landed JSON, CSV). src/run/ asks for an Engine and never imports
 * an engine folder directly.
 */
export interface Engine {
  readonly dialect: Dialect;
  readonly landedJson: LandedJsonSql;
  readonly files: FileSql;
  readonly catalog: Catalog;
  /** Writing compacted months to Parquet (src/run/compaction/). */
  readonly compaction: CompactionSql;
  /** Writing relations to files (`vaultline export`). */
  readonly export: ExportSql;
  /**
   * Opens the warehouse; fails fast with a clear error when another process holds it. `readOnly`
   * (previews): a session on which no statement can change the warehouse or read or write a file
   * outside it, whatever SQL it is given (DuckDB: READ_ONLY, no external access, configuration
   * locked; a server engine: a read-only transaction as a role without file or server access).
   */
  open(
    location: string,
    options?: { threads?: number; memoryLimit?: string; readOnly?: boolean },
  ): Promise<Session>;
}

export const duckdbEngine: Engine = {
  dialect: duckdbDialect,
  landedJson: duckdbLandedJson,
  files: duckdbFiles,
  catalog: duckdbCatalog,
  compaction: duckdbCompaction,
  export: duckdbExport,
  open: (location, options) => openDuckDbSession(location, options),
};

export function engineFor(type: 'duckdb'): Engine {
  switch (type) {
    case 'duckdb':
      return duckdbEngine;
  }
}
