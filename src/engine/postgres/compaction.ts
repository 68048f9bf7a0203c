import type { CompactionSql } from '../compaction.ts';
import { duckdbCompaction } from '../duckdb/compaction.ts';

/**
 * Compaction never runs on the warehouse: it stages, checks and writes Parquet on the engine's scratch
 * session (`engine.openScratch`), which for PostgreSQL is a local DuckDB file too (engine.ts) — so the
 * SQL is DuckDB's, unchanged, and compacted files are byte-for-byte what a DuckDB project writes.
 */
export const postgresCompaction: CompactionSql = duckdbCompaction;
