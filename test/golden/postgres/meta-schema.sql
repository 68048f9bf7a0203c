CREATE SCHEMA IF NOT EXISTS "vaultline_meta";

CREATE TABLE IF NOT EXISTS "vaultline_meta"."info" (
  key text NOT NULL,
  value text NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."runs" (
  run_id text NOT NULL,
  command text NOT NULL,
  args text,
  started_at timestamp NOT NULL,
  finished_at timestamp,
  status text NOT NULL,
  success boolean,
  vaultline_version text
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."node_results" (
  run_id text NOT NULL,
  unique_id text NOT NULL,
  resource_type text NOT NULL,
  status text NOT NULL,
  message text,
  rows_affected bigint,
  failures bigint,
  started_at timestamp NOT NULL,
  duration_ms bigint NOT NULL,
  compiled_sql text,
  skipped_payloads text,
  sample text
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."load_audit" (
  model_unique_id text NOT NULL,
  source_unique_id text NOT NULL,
  landing_key text NOT NULL,
  sha256 text NOT NULL,
  load_ts timestamp NOT NULL,
  loaded_at timestamp NOT NULL,
  run_id text NOT NULL,
  row_count bigint,
  status text NOT NULL,
  message text
);

DROP TABLE IF EXISTS "vaultline_meta"."payload_checks";

CREATE TABLE IF NOT EXISTS "vaultline_meta"."raw_tables" (
  source_unique_id text NOT NULL,
  generation bigint NOT NULL,
  fingerprint text NOT NULL,
  created_at timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."raw_objects" (
  source_unique_id text NOT NULL,
  generation bigint NOT NULL,
  landing_key text NOT NULL,
  ingest_seq bigint NOT NULL,
  sha256 text NOT NULL,
  load_ts timestamp NOT NULL,
  bytes bigint NOT NULL,
  status text NOT NULL,
  record_count bigint NOT NULL,
  reject_count bigint NOT NULL,
  missing text,
  structure text,
  note text,
  run_id text NOT NULL,
  read_at timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."rejects" (
  source_unique_id text NOT NULL,
  generation bigint NOT NULL,
  landing_key text NOT NULL,
  record_index bigint NOT NULL,
  column_name text NOT NULL,
  json_path text NOT NULL,
  data_type text NOT NULL,
  raw_value text,
  reason text NOT NULL,
  run_id text NOT NULL,
  rejected_at timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."listed_partitions" (
  source_unique_id text NOT NULL,
  generation bigint NOT NULL,
  partition_prefix text NOT NULL,
  token text NOT NULL,
  listed_at timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."quarantine" (
  source_unique_id text NOT NULL,
  landing_key text NOT NULL,
  sha256 text,
  reason text NOT NULL,
  quarantined_at timestamp NOT NULL,
  run_id text NOT NULL,
  released_at timestamp
);

DELETE FROM "vaultline_meta"."info" WHERE key = 'meta_schema_version';

INSERT INTO "vaultline_meta"."info" (key, value) VALUES ('meta_schema_version', '2');
