-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- batch: staging rows above the high-water marks, hashed
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT 'stg_customers' AS vl_source, CASE WHEN coalesce(nullif(btrim((((s."street")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), nullif(btrim((((s."city")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '')) IS NULL THEN NULL ELSE encode(sha256(convert_to(concat_ws('||', coalesce(nullif(vaultline_meta.vl_upper(btrim((((s."street")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), coalesce(nullif(vaultline_meta.vl_upper(btrim((((s."city")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^')), 'UTF8')), 'hex') END AS vl_hk, s."street" AS "street", s."city" AS "city", (s."load_ts" AT TIME ZONE 'UTC') AS load_ts, CAST(s."record_source" AS text) AS record_source, coalesce(vl_k.arrival, 2) AS vl_arrival
FROM "staging"."stg_customers" AS s LEFT JOIN "vaultline_meta"."vault_read_keys" AS vl_k ON vl_k.entity = 'vault.hub_address' AND vl_k.source = 'stg_customers' AND vl_k.landing_key = s."_landing_key" WHERE vl_k.arrival IS NULL AND (s."_landing_key" IS NOT NULL OR (s."load_ts" AT TIME ZONE 'UTC') > TIMESTAMP '2024-01-05 10:15:00.123456');

-- counts per source (read: sources)
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, count(*) - count(load_ts) AS missing_load_ts, to_char(CAST(max(load_ts) AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- new keys: first to arrive per key (arrival, load_ts, record_source)
CREATE TEMPORARY TABLE "vl_next" AS
SELECT vl_hk, "street", "city", load_ts, record_source FROM (
  SELECT r.*, row_number() OVER (PARTITION BY r.vl_hk ORDER BY r.vl_arrival, r.load_ts, (r.record_source COLLATE "C"), (r."street" COLLATE "C"), (r."city" COLLATE "C")) AS vl_rank
  FROM "vl_rows" AS r
  WHERE r.vl_hk IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "vault"."hub_address" AS t WHERE t."hk_address" = r.vl_hk)
) AS ranked
WHERE vl_rank = 1;

-- counts (read: stats)
SELECT count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, 0 AS skipped_late_rows,
  count(vl_hk) - count(DISTINCT vl_hk) AS duplicates,
  count(DISTINCT vl_hk) - (SELECT count(*) FROM "vl_next") AS unchanged,
  (SELECT count(*) FROM "vl_next") AS rows_inserted
FROM "vl_rows";

-- insert new keys
INSERT INTO "vault"."hub_address" ("hk_address", "street", "city", "load_ts", "record_source")
SELECT vl_hk, "street", "city", load_ts, record_source FROM "vl_next";

-- lookup index on hub_address (hk_address)
CREATE INDEX IF NOT EXISTS "hub_address_888c576e3f_vl" ON "vault"."hub_address" USING hash ("hk_address");

-- change log: the keys this load inserted rows for
INSERT INTO "vaultline_meta"."vault_changes" (entity, load_id, hk, first_load_ts)
SELECT 'vault.hub_address', (SELECT coalesce(max(load_id), 0) + 1 FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.hub_address'), vl_hk, min(load_ts)
FROM "vl_next" WHERE TRUE GROUP BY vl_hk;

-- objects of stg_customers read: remember them with this load's arrival
INSERT INTO "vaultline_meta"."vault_read_keys" (entity, source, landing_key, arrival)
SELECT DISTINCT 'vault.hub_address', 'stg_customers', s."_landing_key", 2 FROM "staging"."stg_customers" AS s
WHERE s."_landing_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vaultline_meta"."vault_read_keys" AS k WHERE k.entity = 'vault.hub_address' AND k.source = 'stg_customers' AND k.landing_key = s."_landing_key");

-- high-water mark of stg_customers: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.hub_address' AND source = 'stg_customers';

-- high-water mark of stg_customers: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.hub_address', 'stg_customers', coalesce(max(load_ts), TIMESTAMP '2024-01-05 10:15:00.123456') FROM "vl_rows" WHERE vl_source = 'stg_customers';

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";

-- drop vl_next
DROP TABLE IF EXISTS "vl_next";
