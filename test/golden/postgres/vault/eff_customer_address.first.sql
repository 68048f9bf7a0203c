-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- rebuild: drop eff_customer_address
DROP TABLE IF EXISTS "vault"."eff_customer_address";

-- rebuild: drop vault_current__vault__eff_customer_address
DROP TABLE IF EXISTS "vaultline_meta"."vault_current__vault__eff_customer_address";

-- rebuild: forget the high-water marks
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.eff_customer_address';

-- create target table
CREATE TABLE "vault"."eff_customer_address" (
  "hk_customer_address" text NOT NULL,
  "load_ts" timestamp NOT NULL,
  "load_seq" integer NOT NULL,
  "record_source" text NOT NULL,
  "start_ts" timestamp,
  "end_ts" timestamp
);

-- current state: open link and its start per driving key
CREATE TABLE IF NOT EXISTS "vaultline_meta"."vault_current__vault__eff_customer_address" (driving_key text NOT NULL, hk text NOT NULL, start_ts timestamp NOT NULL, load_ts timestamp NOT NULL);

-- ghost record
INSERT INTO "vault"."eff_customer_address" ("hk_customer_address", load_ts, load_seq, record_source) VALUES ('0000000000000000000000000000000000000000000000000000000000000000', TIMESTAMP '0001-01-01 00:00:00', 0, 'vaultline.ghost');

-- batch: staging rows above the high-water mark, hashed
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT 'stg_customers' AS vl_source, CASE WHEN nullif(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '') IS NULL OR coalesce(nullif(btrim((((s."street")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), ''), nullif(btrim((((s."city")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '')) IS NULL THEN NULL ELSE encode(sha256(convert_to(concat_ws('||', coalesce(nullif(vaultline_meta.vl_upper(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), coalesce(nullif(vaultline_meta.vl_upper(btrim((((s."street")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), coalesce(nullif(vaultline_meta.vl_upper(btrim((((s."city")::text COLLATE "C")), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^')), 'UTF8')), 'hex') END AS vl_hk,
  CASE WHEN nullif(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000'), '') IS NULL THEN NULL ELSE encode(sha256(convert_to(coalesce(nullif(vaultline_meta.vl_upper(btrim(((s."customer_id")::text), E'\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000')), ''), '^^'), 'UTF8')), 'hex') END AS vl_driver,
  (s."load_ts" AT TIME ZONE 'UTC') AS load_ts, CAST(s."record_source" AS text) AS record_source
FROM "staging"."stg_customers" AS s LEFT JOIN "vaultline_meta"."vault_read_keys" AS vl_k ON vl_k.entity = 'vault.eff_customer_address' AND vl_k.source = 'stg_customers' AND vl_k.landing_key = s."_landing_key";

-- counts per source (read: sources)
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, count(*) - count(load_ts) AS missing_load_ts, to_char(CAST(max(load_ts) AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- classify: late, duplicate, unchanged relationship or change
CREATE TEMPORARY TABLE "vl_next" AS
SELECT y.*, CASE WHEN vl_late THEN 'late' WHEN vl_copy > 1 THEN 'duplicate'
  WHEN vl_hk = coalesce(vl_prev, vl_cur_hk) THEN 'unchanged' ELSE 'new' END AS vl_status
FROM (
  SELECT x.*, lag(vl_hk) OVER (PARTITION BY vl_driver, vl_late OR vl_copy > 1 ORDER BY load_ts, (vl_hk COLLATE "C")) AS vl_prev
  FROM (
    SELECT r.*, c.hk AS vl_cur_hk, c.start_ts AS vl_cur_start, coalesce(r.load_ts <= c.load_ts, FALSE) AS vl_late,
      row_number() OVER (PARTITION BY r.vl_driver, r.load_ts, r.vl_hk ORDER BY (r.record_source COLLATE "C")) AS vl_copy
    FROM "vl_rows" AS r LEFT JOIN "vaultline_meta"."vault_current__vault__eff_customer_address" AS c ON c.driving_key = r.vl_driver
    WHERE r.vl_hk IS NOT NULL
  ) AS x
) AS y;

-- changes in order per driving key, with the link each one closes
CREATE TEMPORARY TABLE "vl_events" AS
SELECT n.vl_driver, n.vl_hk, n.load_ts, n.record_source,
  row_number() OVER w AS vl_event,
  coalesce(lag(n.vl_hk) OVER w, n.vl_cur_hk) AS vl_closes,
  coalesce(lag(n.load_ts) OVER w, n.vl_cur_start) AS vl_closes_start
FROM "vl_next" AS n WHERE n.vl_status = 'new'
WINDOW w AS (PARTITION BY n.vl_driver ORDER BY n.load_ts, (n.vl_hk COLLATE "C"));

-- counts (read: stats)
SELECT (SELECT count(*) FROM "vl_rows") AS rows_read,
  (SELECT count(*) - count(vl_hk) FROM "vl_rows") AS skipped_null_keys,
  coalesce(sum(CASE WHEN vl_status = 'late' THEN 1 ELSE 0 END), 0) AS skipped_late_rows,
  coalesce(sum(CASE WHEN vl_status = 'duplicate' THEN 1 ELSE 0 END), 0) AS duplicates,
  coalesce(sum(CASE WHEN vl_status = 'unchanged' THEN 1 ELSE 0 END), 0) AS unchanged,
  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS opened,
  (SELECT count(vl_closes) FROM "vl_events") AS closed,
  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) + (SELECT count(vl_closes) FROM "vl_events") AS rows_inserted
FROM "vl_next";

-- insert closing and opening rows
INSERT INTO "vault"."eff_customer_address" ("hk_customer_address", load_ts, load_seq, record_source, start_ts, end_ts)
SELECT vl_link, load_ts, row_number() OVER (PARTITION BY vl_link, load_ts ORDER BY vl_event, vl_opens) - 1,
  record_source, vl_start, vl_end
FROM (
  SELECT vl_closes AS vl_link, load_ts, vl_event, 0 AS vl_opens, record_source, vl_closes_start AS vl_start, load_ts AS vl_end
  FROM "vl_events" WHERE vl_closes IS NOT NULL
  UNION ALL
  SELECT vl_hk, load_ts, vl_event, 1, record_source, load_ts, TIMESTAMP '9999-12-31 00:00:00' FROM "vl_events"
) AS emitted;

-- change log: the keys this load inserted rows for
INSERT INTO "vaultline_meta"."vault_changes" (entity, load_id, hk, first_load_ts)
SELECT 'vault.eff_customer_address', (SELECT coalesce(max(load_id), 0) + 1 FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.eff_customer_address'), vl_hk, min(load_ts)
FROM (SELECT vl_hk, load_ts FROM "vl_events" UNION ALL SELECT vl_closes, load_ts FROM "vl_events" WHERE vl_closes IS NOT NULL) AS emitted WHERE TRUE GROUP BY vl_hk;

-- current state: forget driving keys that changed
DELETE FROM "vaultline_meta"."vault_current__vault__eff_customer_address" AS c USING "vl_events" AS e WHERE c.driving_key = e.vl_driver;

-- current state: their newest open link
INSERT INTO "vaultline_meta"."vault_current__vault__eff_customer_address" (driving_key, hk, start_ts, load_ts)
SELECT vl_driver, vl_hk, load_ts, load_ts FROM (
  SELECT e.*, row_number() OVER (PARTITION BY vl_driver ORDER BY vl_event DESC) AS vl_rank FROM "vl_events" AS e
) AS latest WHERE vl_rank = 1;

-- lookup index on vault_current__vault__eff_customer_address (driving_key)
CREATE INDEX IF NOT EXISTS "vault_current__vault__eff_customer_addre_b05667546c_vl" ON "vaultline_meta"."vault_current__vault__eff_customer_address" USING hash ("driving_key");

-- objects of stg_customers read: remember them with this load's arrival
INSERT INTO "vaultline_meta"."vault_read_keys" (entity, source, landing_key, arrival)
SELECT DISTINCT 'vault.eff_customer_address', 'stg_customers', s."_landing_key", 2 FROM "staging"."stg_customers" AS s
WHERE s."_landing_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vaultline_meta"."vault_read_keys" AS k WHERE k.entity = 'vault.eff_customer_address' AND k.source = 'stg_customers' AND k.landing_key = s."_landing_key");

-- high-water mark of stg_customers: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.eff_customer_address' AND source = 'stg_customers';

-- high-water mark of stg_customers: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.eff_customer_address', 'stg_customers', coalesce(max(load_ts), NULL) FROM "vl_rows";

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";

-- drop vl_next
DROP TABLE IF EXISTS "vl_next";

-- drop vl_events
DROP TABLE IF EXISTS "vl_events";
