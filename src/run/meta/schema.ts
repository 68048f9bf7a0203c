import type { Dialect } from '../../engine/dialect.ts';

/**
 * Schema `vaultline_meta`: what vaultline keeps about its own work inside the warehouse, so that the
 * warehouse alone answers "what ran, what did it read, what failed".
 * - runs: one row per command (run, test, build, seed …).
 * - node_results: one row per node per run (status, rows, timings, failing-row samples …).
 * - load_audit: which landed objects each model has read (incremental models read only new ones).
 * - raw_tables: per source table, the current generation of its raw records table (vaultline_raw)
 *   and the fingerprint of the contract it was read with (src/run/sources/CONTEXT.md).
 * - raw_objects: every landed object read into a raw records table (status, counts, shape).
 * - rejects: values that did not convert to their declared type (key, record index, column, value).
 * - quarantine: payloads that could not be read, with the reason; released ones are read again.
 * - listed_partitions: per source and generation, the change token of each landing partition when
 *   it was last listed in full, so unchanged partitions are not listed again.
 * Version 1 kept `payload_checks` instead of raw_objects; it is dropped (the raw tables are new).
 * No primary keys: DuckDB keeps them as in-memory indexes; uniqueness is kept by the writers and
 * checked by tests.
 */
export const META_SCHEMA = 'vaultline_meta';
export const META_SCHEMA_VERSION = '2';

export function metaTable(
  dialect: Dialect,
  name:
    | 'runs'
    | 'node_results'
    | 'load_audit'
    | 'raw_tables'
    | 'raw_objects'
    | 'rejects'
    | 'quarantine'
    | 'listed_partitions'
    | 'info',
): string {
  return dialect.relation(META_SCHEMA, name);
}

export function metaSchemaStatements(dialect: Dialect): string[] {
  const t = (name: Parameters<typeof metaTable>[1]) => metaTable(dialect, name);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(META_SCHEMA)}`,
    `CREATE TABLE IF NOT EXISTS ${t('info')} (
  key VARCHAR NOT NULL,
  value VARCHAR NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('runs')} (
  run_id VARCHAR NOT NULL,
  command VARCHAR NOT NULL,
  args VARCHAR,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status VARCHAR NOT NULL,
  success BOOLEAN,
  vaultline_version VARCHAR
)`,
    `CREATE TABLE IF NOT EXISTS ${t('node_results')} (
  run_id VARCHAR NOT NULL,
  unique_id VARCHAR NOT NULL,
  resource_type VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  message VARCHAR,
  rows_affected BIGINT,
  failures BIGINT,
  started_at TIMESTAMP NOT NULL,
  duration_ms BIGINT NOT NULL,
  compiled_sql VARCHAR,
  skipped_payloads VARCHAR,
  sample VARCHAR
)`,
    `CREATE TABLE IF NOT EXISTS ${t('load_audit')} (
  model_unique_id VARCHAR NOT NULL,
  source_unique_id VARCHAR NOT NULL,
  landing_key VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  load_ts TIMESTAMP NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  row_count BIGINT,
  status VARCHAR NOT NULL,
  message VARCHAR
)`,
    `DROP TABLE IF EXISTS ${dialect.relation(META_SCHEMA, 'payload_checks')}`,
    `CREATE TABLE IF NOT EXISTS ${t('raw_tables')} (
  source_unique_id VARCHAR NOT NULL,
  generation BIGINT NOT NULL,
  fingerprint VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('raw_objects')} (
  source_unique_id VARCHAR NOT NULL,
  generation BIGINT NOT NULL,
  landing_key VARCHAR NOT NULL,
  ingest_seq BIGINT NOT NULL,
  sha256 VARCHAR NOT NULL,
  load_ts TIMESTAMP NOT NULL,
  bytes BIGINT NOT NULL,
  status VARCHAR NOT NULL,
  record_count BIGINT NOT NULL,
  reject_count BIGINT NOT NULL,
  missing VARCHAR,
  structure VARCHAR,
  note VARCHAR,
  run_id VARCHAR NOT NULL,
  read_at TIMESTAMP NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('rejects')} (
  source_unique_id VARCHAR NOT NULL,
  generation BIGINT NOT NULL,
  landing_key VARCHAR NOT NULL,
  record_index BIGINT NOT NULL,
  column_name VARCHAR NOT NULL,
  json_path VARCHAR NOT NULL,
  data_type VARCHAR NOT NULL,
  raw_value VARCHAR,
  reason VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL,
  rejected_at TIMESTAMP NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('listed_partitions')} (
  source_unique_id VARCHAR NOT NULL,
  generation BIGINT NOT NULL,
  partition_prefix VARCHAR NOT NULL,
  token VARCHAR NOT NULL,
  listed_at TIMESTAMP NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('quarantine')} (
  source_unique_id VARCHAR NOT NULL,
  landing_key VARCHAR NOT NULL,
  sha256 VARCHAR,
  reason VARCHAR NOT NULL,
  quarantined_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  released_at TIMESTAMP
)`,
    `DELETE FROM ${t('info')} WHERE key = 'meta_schema_version'`,
    `INSERT INTO ${t('info')} (key, value) VALUES ('meta_schema_version', ${dialect.literal(META_SCHEMA_VERSION)})`,
  ];
}
