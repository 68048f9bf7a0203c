-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- rebuild: drop sat_customer
DROP TABLE IF EXISTS "vault"."sat_customer";

-- rebuild: drop vault_current__vault__sat_customer
DROP TABLE IF EXISTS "vaultline_meta"."vault_current__vault__sat_customer";

-- rebuild: forget the high-water marks
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.sat_customer';

-- create target table
CREATE TABLE "vault"."sat_customer" (
  "hk_customer" text NOT NULL,
  "load_ts" timestamp NOT NULL,
  "load_seq" integer NOT NULL,
  "record_source" text NOT NULL,
  "hashdiff" text NOT NULL,
  "name" text /* the staging column type, at run time */,
  "balance" text /* the staging column type, at run time */,
  "birth_date" text /* the staging column type, at run time */
);

-- current state: latest hashdiff per key
CREATE TABLE IF NOT EXISTS "vaultline_meta"."vault_current__vault__sat_customer" (hk text NOT NULL, load_ts timestamp NOT NULL, hashdiff text NOT NULL);

-- ghost record
INSERT INTO "vault"."sat_customer" ("hk_customer", load_ts, load_seq, record_source, hashdiff) VALUES ('0000000000000000000000000000000000000000000000000000000000000000', TIMESTAMP '0001-01-01 00:00:00', 0, 'vaultline.ghost', '0000000000000000000000000000000000000000000000000000000000000000');

-- batch: staging rows of objects not read yet, hashed
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT 'batch' AS vl_origin, 'stg_customers' AS vl_source, CASE WHEN nullif(btrim(vaultline_meta.vl_text(s."customer_id"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '') IS NULL THEN NULL ELSE encode(sha256(convert_to(coalesce(nullif(vaultline_meta.vl_upper(btrim(vaultline_meta.vl_text(s."customer_id"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), 'UTF8')), 'hex') END AS vl_hk, encode(sha256(convert_to(regexp_replace(concat_ws('||', coalesce(nullif(btrim(vaultline_meta.vl_text(s."name"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^'), coalesce(nullif(btrim(vaultline_meta.vl_text(s."balance"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^'), coalesce(nullif(btrim(vaultline_meta.vl_text(s."birth_date"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^')), '(\|\|\^\^)+$', ''), 'UTF8')), 'hex') AS vl_hashdiff, s."event_seq" AS vl_seq_0, s."name" AS "name", s."balance" AS "balance", s."birth_date" AS "birth_date", s."load_ts" AS load_ts, CAST(s."record_source" AS text) AS record_source, 1 AS vl_arrival
FROM "staging"."stg_customers" AS s;

-- counts per source
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, count(*) - count(load_ts) AS missing_load_ts, to_char(CAST(max(load_ts) AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- late keys: a batch row at or before the key’s current state
CREATE TEMPORARY TABLE "vl_late_keys" AS
SELECT r.vl_hk, count(*) AS vl_late_rows FROM "vl_rows" AS r JOIN "vaultline_meta"."vault_current__vault__sat_customer" AS c ON c.hk = r.vl_hk
WHERE r.load_ts <= c.load_ts GROUP BY r.vl_hk;

-- late keys: how many
SELECT count(*) AS n FROM "vl_late_keys";

-- late keys: their batch rows make way for their whole staging history
DELETE FROM "vl_rows" WHERE vl_hk IN (SELECT vl_hk FROM "vl_late_keys");

-- late keys: their whole staging history (objects read before keep their arrival)
INSERT INTO "vl_rows"
SELECT CASE WHEN h.vl_unread THEN 'batch' ELSE 'history' END, 'stg_customers', vl_hk, vl_hashdiff, vl_seq_0, "name", "balance", "birth_date", load_ts, record_source, vl_arrival FROM (
  SELECT TRUE AS vl_unread, CASE WHEN nullif(btrim(vaultline_meta.vl_text(s."customer_id"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '') IS NULL THEN NULL ELSE encode(sha256(convert_to(coalesce(nullif(vaultline_meta.vl_upper(btrim(vaultline_meta.vl_text(s."customer_id"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), 'UTF8')), 'hex') END AS vl_hk, encode(sha256(convert_to(regexp_replace(concat_ws('||', coalesce(nullif(btrim(vaultline_meta.vl_text(s."name"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^'), coalesce(nullif(btrim(vaultline_meta.vl_text(s."balance"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^'), coalesce(nullif(btrim(vaultline_meta.vl_text(s."birth_date"), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), '^^')), '(\|\|\^\^)+$', ''), 'UTF8')), 'hex') AS vl_hashdiff, s."event_seq" AS vl_seq_0, s."name" AS "name", s."balance" AS "balance", s."birth_date" AS "birth_date", s."load_ts" AS load_ts, CAST(s."record_source" AS text) AS record_source, 1 AS vl_arrival
  FROM "staging"."stg_customers" AS s
) AS h WHERE EXISTS (SELECT 1 FROM "vl_late_keys" AS l WHERE l.vl_hk = h.vl_hk);

-- classify: duplicate, unchanged or a row of the satellite
CREATE TEMPORARY TABLE "vl_classified" AS
SELECT vl_hk, vl_hashdiff, vl_seq_0, "name", "balance", "birth_date", load_ts, record_source, vl_arrival, vl_origin, vl_last,
  vl_prev_ts IS DISTINCT FROM load_ts AND vl_next_ts IS DISTINCT FROM load_ts AS vl_single,
  CASE WHEN vl_origin = 'seed' THEN 'seed'
  WHEN vl_prev_ts = load_ts AND vl_prev_vl_seq_0 IS NOT DISTINCT FROM vl_seq_0 AND vl_prev_hd = vl_hashdiff THEN 'duplicate'
  WHEN vl_prev_hd IS NULL OR vl_prev_hd <> vl_hashdiff OR vl_prev_arrival > vl_arrival THEN 'new'
  ELSE 'unchanged' END AS vl_status
FROM (
  SELECT u.*, lag(load_ts) OVER w AS vl_prev_ts, lead(load_ts) OVER w AS vl_next_ts,
    lag(vl_seq_0) OVER w AS vl_prev_vl_seq_0,
    lag(vl_hashdiff) OVER w AS vl_prev_hd, lag(vl_arrival) OVER w AS vl_prev_arrival,
    lead(vl_hashdiff) OVER w IS NULL AS vl_last
  FROM "vl_rows" AS u WHERE u.vl_hk IS NOT NULL
  WINDOW w AS (PARTITION BY vl_hk ORDER BY load_ts, vl_seq_0, (vl_hashdiff COLLATE "C"), vl_arrival, (record_source COLLATE "C"), "name", "balance", "birth_date")
) AS x;

-- late keys: rows the satellite already holds are not inserted again
UPDATE "vl_classified" SET vl_status = 'present'
WHERE vl_status = 'new' AND EXISTS (SELECT 1 FROM "vl_late_keys" AS l WHERE l.vl_hk = "vl_classified".vl_hk)
  AND EXISTS (SELECT 1 FROM "vault"."sat_customer" AS t WHERE t."hk_customer" = "vl_classified".vl_hk AND t.load_ts = "vl_classified".load_ts AND t.hashdiff = "vl_classified".vl_hashdiff);

-- counts
SELECT (SELECT count(*) FROM "vl_rows" WHERE vl_origin = 'batch') AS rows_read,
  (SELECT count(*) - count(vl_hk) FROM "vl_rows" WHERE vl_origin = 'batch') AS skipped_null_keys,
  0 AS skipped_late_rows,
  coalesce(sum(CASE WHEN vl_origin = 'batch' AND vl_status IN ('duplicate', 'present') THEN 1 ELSE 0 END), 0) AS duplicates,
  coalesce(sum(CASE WHEN vl_origin = 'batch' AND vl_status = 'unchanged' THEN 1 ELSE 0 END), 0) AS unchanged,
  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS rows_inserted,
  coalesce(sum(CASE WHEN vl_origin = 'history' AND vl_status = 'new' THEN 1 ELSE 0 END), 0) AS reinstated,
  (SELECT coalesce(sum(vl_late_rows), 0) FROM "vl_late_keys") AS late_rows
FROM "vl_classified";

-- insert the new rows (load_seq numbers several records of one key at one load_ts)
INSERT INTO "vault"."sat_customer" ("hk_customer", load_ts, load_seq, record_source, hashdiff, "name", "balance", "birth_date")
SELECT vl_hk, load_ts, 0, record_source, vl_hashdiff, "name", "balance", "birth_date"
FROM "vl_classified" WHERE vl_status = 'new' AND vl_single
UNION ALL
SELECT vl_hk, load_ts, vl_rank, record_source, vl_hashdiff, "name", "balance", "birth_date" FROM (
  SELECT c.*, dense_rank() OVER (PARTITION BY vl_hk, load_ts ORDER BY vl_seq_0, (vl_hashdiff COLLATE "C")) - 1 AS vl_rank
  FROM "vl_classified" AS c WHERE NOT vl_single AND vl_origin <> 'seed'
) AS m WHERE vl_status = 'new';

-- change log: the keys this load inserted rows for
INSERT INTO "vaultline_meta"."vault_changes" (entity, load_id, hk, first_load_ts)
SELECT 'vault.sat_customer', (SELECT coalesce(max(load_id), 0) + 1 FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.sat_customer'), vl_hk, min(load_ts)
FROM "vl_classified" WHERE vl_status = 'new' GROUP BY vl_hk;

-- current state: the last record of each key
INSERT INTO "vaultline_meta"."vault_current__vault__sat_customer" (hk, load_ts, hashdiff)
SELECT vl_hk, load_ts, vl_hashdiff FROM "vl_classified" WHERE vl_last AND vl_origin <> 'seed';

-- lookup index on vault_current__vault__sat_customer (hk)
CREATE INDEX IF NOT EXISTS "vault_current__vault__sat_customer_e7e23295c7_vl" ON "vaultline_meta"."vault_current__vault__sat_customer" USING hash ("hk");

-- high-water mark of stg_customers: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.sat_customer' AND source = 'stg_customers';

-- high-water mark of stg_customers: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.sat_customer', 'stg_customers', coalesce(max(load_ts), NULL) FROM "vl_rows";

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";

-- drop vl_late_keys
DROP TABLE IF EXISTS "vl_late_keys";

-- drop vl_classified
DROP TABLE IF EXISTS "vl_classified";
