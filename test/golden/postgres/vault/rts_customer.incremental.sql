-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- current state: latest status per known key
CREATE TABLE IF NOT EXISTS "vaultline_meta"."vault_current__vault__rts_customer" (hk text NOT NULL, load_ts timestamp NOT NULL, is_deleted boolean NOT NULL);

-- batch: snapshot rows above the high-water mark, hashed
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT 'stg_customers' AS vl_source, CASE WHEN nullif(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '') IS NULL THEN NULL ELSE encode(sha256(convert_to(coalesce(nullif(vaultline_meta.vl_upper(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), 'UTF8')), 'hex') END AS vl_hk,
  (s."load_ts" AT TIME ZONE 'UTC') AS load_ts, CAST(s."record_source" AS text) AS record_source
FROM "staging"."stg_customers" AS s LEFT JOIN "vaultline_meta"."vault_read_keys" AS vl_k ON vl_k.entity = 'vault.rts_customer' AND vl_k.source = 'stg_customers' AND vl_k.landing_key = s."_landing_key" WHERE vl_k.arrival IS NULL AND (s."_landing_key" IS NOT NULL OR (s."load_ts" AT TIME ZONE 'UTC') > TIMESTAMP '2024-01-05 10:15:00.123456');

-- counts per source (read: sources)
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, count(*) - count(load_ts) AS missing_load_ts, to_char(CAST(max(load_ts) AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- status of every known key in every new snapshot; keep the changes
CREATE TEMPORARY TABLE "vl_next" AS
WITH snapshots AS (
  SELECT load_ts, min((record_source COLLATE "C")) AS record_source FROM "vl_rows"
  WHERE load_ts > coalesce((SELECT max(load_ts) FROM "vaultline_meta"."vault_current__vault__rts_customer"), TIMESTAMP '0001-01-01 00:00:00')
  GROUP BY load_ts
), present AS (
  SELECT DISTINCT r.vl_hk, r.load_ts FROM "vl_rows" AS r JOIN snapshots AS s ON s.load_ts = r.load_ts
  WHERE r.vl_hk IS NOT NULL
), known AS (
  SELECT hk AS vl_hk, is_deleted AS vl_cur_deleted, TIMESTAMP '0001-01-01 00:00:00' AS vl_first FROM "vaultline_meta"."vault_current__vault__rts_customer"
  UNION ALL
  SELECT p.vl_hk, NULL, min(p.load_ts) FROM present AS p
  WHERE NOT EXISTS (SELECT 1 FROM "vaultline_meta"."vault_current__vault__rts_customer" AS c WHERE c.hk = p.vl_hk) GROUP BY p.vl_hk
), grid AS (
  SELECT k.vl_hk, k.vl_cur_deleted, s.load_ts, s.record_source, p.vl_hk IS NULL AS vl_deleted
  FROM known AS k JOIN snapshots AS s ON s.load_ts >= k.vl_first
  LEFT JOIN present AS p ON p.vl_hk = k.vl_hk AND p.load_ts = s.load_ts
), changes AS (
  SELECT g.*, coalesce(lag(vl_deleted) OVER (PARTITION BY vl_hk ORDER BY load_ts), vl_cur_deleted) AS vl_prev FROM grid AS g
)
SELECT vl_hk, load_ts, record_source, vl_deleted, vl_prev FROM changes
WHERE vl_prev IS NULL OR vl_prev <> vl_deleted;

-- counts (read: stats)
WITH batch AS (
  SELECT count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys,
    coalesce(sum(CASE WHEN load_ts <= coalesce((SELECT max(load_ts) FROM "vaultline_meta"."vault_current__vault__rts_customer"), TIMESTAMP '0001-01-01 00:00:00') THEN 1 ELSE 0 END), 0) AS skipped_late_rows
  FROM "vl_rows"
), fresh AS (
  SELECT count(*) AS fresh_rows, count(DISTINCT vl_hk || '@' || to_char(CAST(load_ts AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US')) AS present
  FROM "vl_rows" WHERE vl_hk IS NOT NULL AND load_ts > coalesce((SELECT max(load_ts) FROM "vaultline_meta"."vault_current__vault__rts_customer"), TIMESTAMP '0001-01-01 00:00:00')
), changed AS (
  SELECT count(*) AS rows_inserted, coalesce(sum(CASE WHEN vl_deleted THEN 1 ELSE 0 END), 0) AS deletion_markers,
    coalesce(sum(CASE WHEN NOT vl_deleted AND vl_prev IS NULL THEN 1 ELSE 0 END), 0) AS new_keys,
    coalesce(sum(CASE WHEN NOT vl_deleted AND vl_prev THEN 1 ELSE 0 END), 0) AS reappeared
  FROM "vl_next"
)
SELECT rows_read, skipped_null_keys, skipped_late_rows, fresh_rows - present AS duplicates,
  present - (new_keys + reappeared) AS unchanged, rows_inserted, deletion_markers, new_keys, reappeared,
  (SELECT count(DISTINCT load_ts) FROM "vl_rows" WHERE load_ts > coalesce((SELECT max(load_ts) FROM "vaultline_meta"."vault_current__vault__rts_customer"), TIMESTAMP '0001-01-01 00:00:00')) AS snapshots
FROM batch, fresh, changed;

-- insert status changes
INSERT INTO "vault"."rts_customer" ("hk_customer", load_ts, record_source, is_deleted)
SELECT vl_hk, load_ts, record_source, vl_deleted FROM "vl_next";

-- change log: the keys this load inserted rows for
INSERT INTO "vaultline_meta"."vault_changes" (entity, load_id, hk, first_load_ts)
SELECT 'vault.rts_customer', (SELECT coalesce(max(load_id), 0) + 1 FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.rts_customer'), vl_hk, min(load_ts)
FROM "vl_next" WHERE TRUE GROUP BY vl_hk;

-- current state: forget keys whose status changed
DELETE FROM "vaultline_meta"."vault_current__vault__rts_customer" WHERE hk IN (SELECT vl_hk FROM "vl_next");

-- current state: their newest status
INSERT INTO "vaultline_meta"."vault_current__vault__rts_customer" (hk, load_ts, is_deleted)
SELECT vl_hk, load_ts, vl_deleted FROM (
  SELECT n.*, row_number() OVER (PARTITION BY vl_hk ORDER BY load_ts DESC) AS vl_rank FROM "vl_next" AS n
) AS latest WHERE vl_rank = 1;

-- lookup index on vault_current__vault__rts_customer (hk)
CREATE INDEX IF NOT EXISTS "vault_current__vault__rts_customer_34a7b900af_vl" ON "vaultline_meta"."vault_current__vault__rts_customer" USING hash ("hk");

-- objects of stg_customers read: remember them with this load's arrival
INSERT INTO "vaultline_meta"."vault_read_keys" (entity, source, landing_key, arrival)
SELECT DISTINCT 'vault.rts_customer', 'stg_customers', s."_landing_key", 2 FROM "staging"."stg_customers" AS s
WHERE s."_landing_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vaultline_meta"."vault_read_keys" AS k WHERE k.entity = 'vault.rts_customer' AND k.source = 'stg_customers' AND k.landing_key = s."_landing_key");

-- high-water mark of stg_customers: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.rts_customer' AND source = 'stg_customers';

-- high-water mark of stg_customers: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.rts_customer', 'stg_customers', coalesce(max(load_ts), TIMESTAMP '2024-01-05 10:15:00.123456') FROM "vl_rows";

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";

-- drop vl_next
DROP TABLE IF EXISTS "vl_next";
