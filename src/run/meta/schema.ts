import type { Dialect } from '../../engine/dialect.ts';

/**
 * Schema `vaultline_meta`: what vaultline keeps about its own work inside the warehouse, so that the
 * warehouse alone answers "what ran, what did it read, what failed".
 * - runs: one row per command (run, test, build, seed …).
 * - node_results: one row per node per run (status, rows, timings, failing-row samples …).
 * - load_audit: which landed objects each model has read (incremental models read only new ones).
 * - payload_checks: facts found once per landed object and records path (parsed or not, its shape,
 *   record count); landed objects never change, so each is probed once, ever.
 * No primary keys: DuckDB keeps them as in-memory indexes; uniqueness is kept by the writers and
 * checked by tests.
 */
export const META_SCHEMA = 'vaultline_meta';
export const META_SCHEMA_VERSION = '1';

export function metaTable(
  dialect: Dialect,
  name: 'runs' | 'node_results' | 'load_audit' | 'payload_checks' | 'info',
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
    `CREATE TABLE IF NOT EXISTS ${t('payload_checks')} (
  landing_key VARCHAR NOT NULL,
  records_path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  load_ts TIMESTAMP NOT NULL,
  bytes BIGINT NOT NULL,
  ok BOOLEAN NOT NULL,
  error VARCHAR,
  structure VARCHAR,
  record_count BIGINT,
  checked_at TIMESTAMP NOT NULL
)`,
    `DELETE FROM ${t('info')} WHERE key = 'meta_schema_version'`,
    `INSERT INTO ${t('info')} (key, value) VALUES ('meta_schema_version', ${dialect.literal(META_SCHEMA_VERSION)})`,
  ];
}
