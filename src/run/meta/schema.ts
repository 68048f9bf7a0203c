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
  const { text, bigint, boolean, timestamp } = dialect.types;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(META_SCHEMA)}`,
    `CREATE TABLE IF NOT EXISTS ${t('info')} (
  key ${text} NOT NULL,
  value ${text} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('runs')} (
  run_id ${text} NOT NULL,
  command ${text} NOT NULL,
  args ${text},
  started_at ${timestamp} NOT NULL,
  finished_at ${timestamp},
  status ${text} NOT NULL,
  success ${boolean},
  vaultline_version ${text}
)`,
    `CREATE TABLE IF NOT EXISTS ${t('node_results')} (
  run_id ${text} NOT NULL,
  unique_id ${text} NOT NULL,
  resource_type ${text} NOT NULL,
  status ${text} NOT NULL,
  message ${text},
  rows_affected ${bigint},
  failures ${bigint},
  started_at ${timestamp} NOT NULL,
  duration_ms ${bigint} NOT NULL,
  compiled_sql ${text},
  skipped_payloads ${text},
  sample ${text}
)`,
    `CREATE TABLE IF NOT EXISTS ${t('load_audit')} (
  model_unique_id ${text} NOT NULL,
  source_unique_id ${text} NOT NULL,
  landing_key ${text} NOT NULL,
  sha256 ${text} NOT NULL,
  load_ts ${timestamp} NOT NULL,
  loaded_at ${timestamp} NOT NULL,
  run_id ${text} NOT NULL,
  row_count ${bigint},
  status ${text} NOT NULL,
  message ${text}
)`,
    `DROP TABLE IF EXISTS ${dialect.relation(META_SCHEMA, 'payload_checks')}`,
    `CREATE TABLE IF NOT EXISTS ${t('raw_tables')} (
  source_unique_id ${text} NOT NULL,
  generation ${bigint} NOT NULL,
  fingerprint ${text} NOT NULL,
  created_at ${timestamp} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('raw_objects')} (
  source_unique_id ${text} NOT NULL,
  generation ${bigint} NOT NULL,
  landing_key ${text} NOT NULL,
  ingest_seq ${bigint} NOT NULL,
  sha256 ${text} NOT NULL,
  load_ts ${timestamp} NOT NULL,
  bytes ${bigint} NOT NULL,
  status ${text} NOT NULL,
  record_count ${bigint} NOT NULL,
  reject_count ${bigint} NOT NULL,
  missing ${text},
  structure ${text},
  note ${text},
  run_id ${text} NOT NULL,
  read_at ${timestamp} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('rejects')} (
  source_unique_id ${text} NOT NULL,
  generation ${bigint} NOT NULL,
  landing_key ${text} NOT NULL,
  record_index ${bigint} NOT NULL,
  column_name ${text} NOT NULL,
  json_path ${text} NOT NULL,
  data_type ${text} NOT NULL,
  raw_value ${text},
  reason ${text} NOT NULL,
  run_id ${text} NOT NULL,
  rejected_at ${timestamp} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('listed_partitions')} (
  source_unique_id ${text} NOT NULL,
  generation ${bigint} NOT NULL,
  partition_prefix ${text} NOT NULL,
  token ${text} NOT NULL,
  listed_at ${timestamp} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t('quarantine')} (
  source_unique_id ${text} NOT NULL,
  landing_key ${text} NOT NULL,
  sha256 ${text},
  reason ${text} NOT NULL,
  quarantined_at ${timestamp} NOT NULL,
  run_id ${text} NOT NULL,
  released_at ${timestamp}
)`,
    `DELETE FROM ${t('info')} WHERE key = 'meta_schema_version'`,
    `INSERT INTO ${t('info')} (key, value) VALUES ('meta_schema_version', ${dialect.literal(META_SCHEMA_VERSION)})`,
  ];
}
