CREATE SCHEMA IF NOT EXISTS "vaultline_meta";

CREATE TABLE IF NOT EXISTS "vaultline_meta"."info" (
  key VARCHAR NOT NULL,
  value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."runs" (
  run_id VARCHAR NOT NULL,
  command VARCHAR NOT NULL,
  args VARCHAR,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status VARCHAR NOT NULL,
  success BOOLEAN,
  vaultline_version VARCHAR
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."node_results" (
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
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."load_audit" (
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
);

DROP TABLE IF EXISTS "vaultline_meta"."payload_checks";

CREATE TABLE IF NOT EXISTS "vaultline_meta"."raw_tables" (
  source_unique_id VARCHAR NOT NULL,
  generation BIGINT NOT NULL,
  fingerprint VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."raw_objects" (
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
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."rejects" (
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
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."listed_partitions" (
  source_unique_id VARCHAR NOT NULL,
  generation BIGINT NOT NULL,
  partition_prefix VARCHAR NOT NULL,
  token VARCHAR NOT NULL,
  listed_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS "vaultline_meta"."quarantine" (
  source_unique_id VARCHAR NOT NULL,
  landing_key VARCHAR NOT NULL,
  sha256 VARCHAR,
  reason VARCHAR NOT NULL,
  quarantined_at TIMESTAMP NOT NULL,
  run_id VARCHAR NOT NULL,
  released_at TIMESTAMP
);

DELETE FROM "vaultline_meta"."info" WHERE key = 'meta_schema_version';

INSERT INTO "vaultline_meta"."info" (key, value) VALUES ('meta_schema_version', '2');
