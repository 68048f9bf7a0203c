import type { Catalog } from './catalog.ts';
import type { CompactionSql } from './compaction.ts';
import type { Dialect, Session } from './dialect.ts';
import { duckdbCatalog } from './duckdb/catalog.ts';
import { duckdbCompaction } from './duckdb/compaction.ts';
import { type DuckDbWarehouseConfig, duckdbLocation } from './duckdb/config.ts';
import { duckdbDialect } from './duckdb/dialect.ts';
import { duckdbExport } from './duckdb/export.ts';
import { duckdbFiles } from './duckdb/files.ts';
import { duckdbLandedJson } from './duckdb/landed-json.ts';
import { openDuckDbSession } from './duckdb/session.ts';
import type { ExportSql } from './export.ts';
import type { FileSql } from './files.ts';
import type { LandedJsonSql } from './landed-json.ts';
import { postgresCatalog } from './postgres/catalog.ts';
import { postgresCompaction } from './postgres/compaction.ts';
import type { PostgresWarehouseConfig } from './postgres/config.ts';
import { describePostgres } from './postgres/connection-config.ts';
import { postgresDialect } from './postgres/dialect.ts';
import { postgresExport } from './postgres/export.ts';
import { postgresFiles } from './postgres/files.ts';
import { postgresLandedJson } from './postgres/landed-json.ts';
import { openPostgresSession } from './postgres/session.ts';
import type { WarehouseConfig } from './warehouse-config.ts';

export type { WarehouseConfig } from './warehouse-config.ts';

export interface OpenOptions {
  /** The project folder: relative warehouse paths are taken from it. */
  projectDir: string;
  /**
   * A session on which no statement can change the warehouse or read or write a file outside it,
   * whatever SQL it is given (previews). DuckDB: READ_ONLY, no external access, configuration locked;
   * PostgreSQL: read-only transactions, no file or server-side functions.
   */
  readOnly?: boolean;
}

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
  /** Writing compacted months to Parquet (src/run/compaction/), on a scratch session. */
  readonly compaction: CompactionSql;
  /** Writing relations to files (`vaultline export`). */
  readonly export: ExportSql;
  /** Opens the configured warehouse; fails fast with a clear error when it cannot. */
  open(config: WarehouseConfig, options: OpenOptions): Promise<Session>;
  /**
   * Where the warehouse is, for messages and summaries: a path, or a connection URL without its
   * password. Never a secret.
   */
  describe(config: WarehouseConfig, projectDir: string): string;
  /**
   * A local, embedded session on a scratch file of the caller's (compaction writes and reads Parquet
   * there, whatever the warehouse engine is). The caller closes it and removes the file.
   */
  openScratch(path: string): Promise<Session>;
}

export const duckdbEngine: Engine = {
  dialect: duckdbDialect,
  landedJson: duckdbLandedJson,
  files: duckdbFiles,
  catalog: duckdbCatalog,
  compaction: duckdbCompaction,
  export: duckdbExport,
  open: (config, options) => {
    const duckdb = config as DuckDbWarehouseConfig;
    return openDuckDbSession(duckdbLocation(duckdb, options.projectDir), {
      ...(duckdb.threads === undefined ? {} : { threads: duckdb.threads }),
      ...(duckdb.memory_limit === undefined ? {} : { memoryLimit: duckdb.memory_limit }),
      ...(options.readOnly ? { readOnly: true } : {}),
    });
  },
  describe: (config, projectDir) => duckdbLocation(config as DuckDbWarehouseConfig, projectDir),
  openScratch: (path) => openDuckDbSession(path),
};

/**
 * PostgreSQL: a pool of connections to a server (src/engine/postgres/). What a server cannot do with
 * the client's files — Parquet for compaction and compacted reads — runs on a local DuckDB scratch
 * file (`openScratch`), as on the DuckDB engine.
 */
export const postgresEngine: Engine = {
  dialect: postgresDialect,
  landedJson: postgresLandedJson,
  files: postgresFiles,
  catalog: postgresCatalog,
  compaction: postgresCompaction,
  export: postgresExport,
  open: (config, options) =>
    openPostgresSession(config as PostgresWarehouseConfig, options.readOnly ? { readOnly: true } : {}),
  describe: (config) => describePostgres(config as PostgresWarehouseConfig),
  openScratch: (path) => openDuckDbSession(path),
};

const engines: Record<WarehouseConfig['type'], () => Engine> = {
  duckdb: () => duckdbEngine,
  postgres: () => postgresEngine,
};

export function engineFor(type: WarehouseConfig['type']): Engine {
  return engines[type]();
}
