-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- current state: latest set hash per key
CREATE TABLE IF NOT EXISTS "vaultline_meta"."vault_current__vault__sat_customer_phones" (hk text NOT NULL, load_ts timestamp NOT NULL, set_hash text NOT NULL);

-- batch: staging rows above the high-water mark, hashed
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT 'stg_phones' AS vl_source, CASE WHEN nullif(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '') IS NULL THEN NULL ELSE encode(sha256(convert_to(coalesce(nullif(vaultline_meta.vl_upper(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), 'UTF8')), 'hex') END AS vl_hk,
  encode(sha256(convert_to(coalesce(nullif(btrim((((s."phone")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^'), 'UTF8')), 'hex') AS vl_hashdiff,
  coalesce(nullif(btrim((((s."phone_type")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^') AS vl_ck,
  s."phone_type" AS "phone_type", s."phone" AS "phone",
  CAST(s."load_ts" AS timestamp) AS load_ts, CAST(s."record_source" AS text) AS record_source
FROM "staging"."stg_phones" AS s LEFT JOIN "vaultline_meta"."vault_read_keys" AS vl_k ON vl_k.entity = 'vault.sat_customer_phones' AND vl_k.source = 'stg_phones' AND vl_k.landing_key = s."_landing_key" WHERE vl_k.arrival IS NULL AND (s."_landing_key" IS NOT NULL OR CAST(s."load_ts" AS timestamp) > TIMESTAMP '2024-01-05 10:15:00.123456');

-- counts per source (read: sources)
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, count(*) - count(load_ts) AS missing_load_ts, to_char(CAST(max(load_ts) AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- classify rows and compare each set with the set before it
CREATE TEMPORARY TABLE "vl_next" AS
WITH x AS (
  SELECT r.*, c.set_hash AS vl_cur_set, coalesce(r.load_ts <= c.load_ts, FALSE) AS vl_late,
    row_number() OVER (PARTITION BY r.vl_hk, r.load_ts, r.vl_ck, r.vl_hashdiff ORDER BY (r.record_source COLLATE "C"), (r."phone_type" COLLATE "C"), (r."phone" COLLATE "C")) AS vl_copy
  FROM "vl_rows" AS r LEFT JOIN "vaultline_meta"."vault_current__vault__sat_customer_phones" AS c ON c.hk = r.vl_hk
  WHERE r.vl_hk IS NOT NULL
), sets AS (
  SELECT vl_hk, load_ts, max(vl_cur_set) AS vl_cur_set,
    encode(sha256(convert_to(string_agg(vl_ck || '||' || vl_hashdiff, ';' ORDER BY (vl_ck COLLATE "C"), (vl_hashdiff COLLATE "C")), 'UTF8')), 'hex') AS vl_set
  FROM x WHERE NOT vl_late AND vl_copy = 1 GROUP BY vl_hk, load_ts
), changes AS (
  SELECT s.*, coalesce(lag(vl_set) OVER (PARTITION BY vl_hk ORDER BY load_ts), vl_cur_set) AS vl_prev_set FROM sets AS s
)
SELECT x.*, ch.vl_set, CASE WHEN x.vl_late THEN 'late' WHEN x.vl_copy > 1 THEN 'duplicate'
  WHEN ch.vl_set = ch.vl_prev_set THEN 'unchanged' ELSE 'new' END AS vl_status
FROM x LEFT JOIN changes AS ch ON ch.vl_hk = x.vl_hk AND ch.load_ts = x.load_ts;

-- counts (read: stats)
SELECT (SELECT count(*) FROM "vl_rows") AS rows_read,
  (SELECT count(*) - count(vl_hk) FROM "vl_rows") AS skipped_null_keys,
  coalesce(sum(CASE WHEN vl_status = 'late' THEN 1 ELSE 0 END), 0) AS skipped_late_rows,
  coalesce(sum(CASE WHEN vl_status = 'duplicate' THEN 1 ELSE 0 END), 0) AS duplicates,
  coalesce(sum(CASE WHEN vl_status = 'unchanged' THEN 1 ELSE 0 END), 0) AS unchanged,
  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS rows_inserted,
  count(DISTINCT CASE WHEN vl_status = 'new' THEN vl_hk || '@' || to_char(CAST(load_ts AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') END) AS sets_inserted
FROM "vl_next";

-- insert changed sets
INSERT INTO "vault"."sat_customer_phones" ("hk_customer", load_ts, record_source, hashdiff, "phone_type", "phone")
SELECT vl_hk, load_ts, record_source, vl_hashdiff, "phone_type", "phone"
FROM "vl_next" WHERE vl_status = 'new';

-- change log: the keys this load inserted rows for
INSERT INTO "vaultline_meta"."vault_changes" (entity, load_id, hk, first_load_ts)
SELECT 'vault.sat_customer_phones', (SELECT coalesce(max(load_id), 0) + 1 FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.sat_customer_phones'), vl_hk, min(load_ts)
FROM "vl_next" WHERE vl_status = 'new' GROUP BY vl_hk;

-- current state: forget changed keys
DELETE FROM "vaultline_meta"."vault_current__vault__sat_customer_phones" AS c USING "vl_next" AS n WHERE n.vl_status = 'new' AND c.hk = n.vl_hk;

-- current state: newest set of changed keys
INSERT INTO "vaultline_meta"."vault_current__vault__sat_customer_phones" (hk, load_ts, set_hash)
SELECT vl_hk, load_ts, vl_set FROM (
  SELECT vl_hk, load_ts, vl_set, row_number() OVER (PARTITION BY vl_hk ORDER BY load_ts DESC) AS vl_rank
  FROM (SELECT DISTINCT vl_hk, load_ts, vl_set FROM "vl_next" WHERE vl_status = 'new') AS changed
) AS latest WHERE vl_rank = 1;

-- lookup index on vault_current__vault__sat_customer_phones (hk)
CREATE INDEX IF NOT EXISTS "vault_current__vault__sat_customer_phone_f82b113812_vl" ON "vaultline_meta"."vault_current__vault__sat_customer_phones" USING hash ("hk");

-- objects of stg_phones read: remember them with this load's arrival
INSERT INTO "vaultline_meta"."vault_read_keys" (entity, source, landing_key, arrival)
SELECT DISTINCT 'vault.sat_customer_phones', 'stg_phones', s."_landing_key", 2 FROM "staging"."stg_phones" AS s
WHERE s."_landing_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vaultline_meta"."vault_read_keys" AS k WHERE k.entity = 'vault.sat_customer_phones' AND k.source = 'stg_phones' AND k.landing_key = s."_landing_key");

-- high-water mark of stg_phones: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.sat_customer_phones' AND source = 'stg_phones';

-- high-water mark of stg_phones: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.sat_customer_phones', 'stg_phones', coalesce(max(load_ts), TIMESTAMP '2024-01-05 10:15:00.123456') FROM "vl_rows";

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";

-- drop vl_next
DROP TABLE IF EXISTS "vl_next";
