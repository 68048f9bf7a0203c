-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- schema drift: add column birth_date
ALTER TABLE "vault"."sat_customer" ADD COLUMN "birth_date" DATE;

-- current state: latest hashdiff per key
CREATE TABLE IF NOT EXISTS "vaultline_meta"."vault_current__vault__sat_customer" (hk_0 UBIGINT NOT NULL, hk_1 UBIGINT NOT NULL, load_ts TIMESTAMP NOT NULL, hashdiff VARCHAR NOT NULL);

-- batch: staging rows above the high-water mark, hashed and classified against the current state
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT vl_source, vl_hk, vl_hashdiff, vl_seq_0, "name", "balance", "birth_date", load_ts, record_source,
  vl_late, vl_prev_ts, vl_next_ts, vl_last,
  CASE WHEN vl_hk IS NULL THEN 'null_key' WHEN vl_late THEN 'late'
  WHEN vl_prev_ts = load_ts AND vl_prev_vl_seq_0 IS NOT DISTINCT FROM vl_seq_0 AND vl_prev_hd = vl_hashdiff THEN 'duplicate'
  WHEN vl_hashdiff = coalesce(vl_prev_hd, vl_cur_hashdiff) THEN 'unchanged' ELSE 'new' END AS vl_status
FROM (
  SELECT r.*, c.hashdiff AS vl_cur_hashdiff, coalesce(r.load_ts <= c.load_ts, FALSE) AS vl_late,
    lag(r.load_ts) OVER w AS vl_prev_ts, lag(r.vl_seq_0) OVER w AS vl_prev_vl_seq_0, lag(r.vl_hashdiff) OVER w AS vl_prev_hd,
    lead(r.load_ts) OVER w AS vl_next_ts, lead(r.vl_hashdiff) OVER w IS NULL AS vl_last
  FROM (
    SELECT 'stg_customers' AS vl_source, CASE WHEN nullif(trim(CAST((s."customer_id") AS VARCHAR)), '') IS NULL THEN NULL ELSE sha256(coalesce(nullif(upper(trim(CAST((s."customer_id") AS VARCHAR))), ''), '^^')) END AS vl_hk,
      sha256(regexp_replace(concat_ws('||', coalesce(nullif(trim(CAST((s."name") AS VARCHAR)), ''), '^^'), coalesce(nullif(trim(CASE WHEN (s."balance") IS NULL THEN NULL WHEN abs((s."balance")) >= 9.9e20 OR ((s."balance") <> 0 AND abs((s."balance")) < 0.0000011) THEN list_transform([CAST((s."balance") AS VARCHAR)], lambda vl_t: CASE WHEN vl_t IS NULL THEN NULL WHEN vl_t IN ('nan', '-nan') THEN 'NaN' WHEN vl_t = 'inf' THEN 'Infinity' WHEN vl_t = '-inf' THEN '-Infinity' ELSE list_transform([regexp_extract(vl_t, '^(-?)0*([0-9]*)\.?([0-9]*)(?:e([+-][0-9]+))?$', ['s', 'i', 'f', 'e'])], lambda vl_p: list_transform([{'s': vl_p.s, 'd': rtrim(ltrim(vl_p.i || vl_p.f, '0'), '0'), 'n': length(vl_p.i) + coalesce(TRY_CAST(vl_p.e AS INTEGER), 0) - (length(vl_p.i || vl_p.f) - length(ltrim(vl_p.i || vl_p.f, '0')))}], lambda vl_q: CASE WHEN vl_q.d = '' THEN '0' ELSE vl_q.s || CASE WHEN vl_q.n >= length(vl_q.d) AND vl_q.n <= 21 THEN vl_q.d || repeat('0', vl_q.n - length(vl_q.d)) WHEN vl_q.n > 0 AND vl_q.n <= 21 THEN substr(vl_q.d, 1, vl_q.n) || '.' || substr(vl_q.d, vl_q.n + 1) WHEN vl_q.n > -6 AND vl_q.n <= 0 THEN '0.' || repeat('0', -vl_q.n) || vl_q.d ELSE substr(vl_q.d, 1, 1) || CASE WHEN length(vl_q.d) > 1 THEN '.' || substr(vl_q.d, 2) ELSE '' END || 'e' || CASE WHEN vl_q.n > 0 THEN '+' ELSE '-' END || CAST(abs(vl_q.n - 1) AS VARCHAR) END END)[1])[1] END)[1] ELSE rtrim(rtrim(CAST((s."balance") AS VARCHAR), '0'), '.') END), ''), '^^'), coalesce(nullif(trim(CAST((s."birth_date") AS VARCHAR)), ''), '^^')), '(\|\|\^\^)+$', '')) AS vl_hashdiff,
      s."event_seq" AS vl_seq_0,
      s."name" AS "name", s."balance" AS "balance", s."birth_date" AS "birth_date",
      (s."load_ts" AT TIME ZONE 'UTC') AS load_ts, CAST(s."record_source" AS VARCHAR) AS record_source
    FROM "staging"."stg_customers" AS s WHERE s."load_ts" > TIMESTAMPTZ '2024-01-05 10:15:00.123456+00'
  ) AS r LEFT JOIN "vaultline_meta"."vault_current__vault__sat_customer" AS c ON c.hk_0 = CAST(('0x' || substr(r.vl_hk, 1, 16)) AS UBIGINT) AND c.hk_1 = CAST(('0x' || substr(r.vl_hk, 17, 16)) AS UBIGINT)
  WINDOW w AS (PARTITION BY r.vl_hk, coalesce(r.load_ts <= c.load_ts, FALSE) ORDER BY r.load_ts, r.vl_seq_0, r.vl_hashdiff, r.record_source, r."name", r."balance", r."birth_date")
) AS x;

-- counts per source (read: sources)
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, count(*) - count(load_ts) AS missing_load_ts, CAST(max(load_ts) AS VARCHAR) AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- counts (read: stats)
SELECT count(*) AS rows_read,
  coalesce(sum(CASE WHEN vl_status = 'null_key' THEN 1 ELSE 0 END), 0) AS skipped_null_keys,
  coalesce(sum(CASE WHEN vl_status = 'late' THEN 1 ELSE 0 END), 0) AS skipped_late_rows,
  coalesce(sum(CASE WHEN vl_status = 'duplicate' THEN 1 ELSE 0 END), 0) AS duplicates,
  coalesce(sum(CASE WHEN vl_status = 'unchanged' THEN 1 ELSE 0 END), 0) AS unchanged,
  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS rows_inserted
FROM "vl_rows";

-- insert changes (load_seq numbers several new rows of one key at one load_ts)
INSERT INTO "vault"."sat_customer" ("hk_customer", load_ts, load_seq, record_source, hashdiff, "name", "balance", "birth_date")
SELECT vl_hk, load_ts, 0, record_source, vl_hashdiff, "name", "balance", "birth_date"
FROM "vl_rows" WHERE vl_status = 'new' AND vl_prev_ts IS DISTINCT FROM load_ts AND vl_next_ts IS DISTINCT FROM load_ts
UNION ALL
SELECT vl_hk, load_ts, row_number() OVER (PARTITION BY vl_hk, load_ts ORDER BY vl_seq_0, vl_hashdiff) - 1,
  record_source, vl_hashdiff, "name", "balance", "birth_date"
FROM "vl_rows" WHERE vl_status = 'new' AND (vl_prev_ts = load_ts OR vl_next_ts = load_ts);

-- current state: forget the keys seen in this batch
DELETE FROM "vaultline_meta"."vault_current__vault__sat_customer" AS c USING "vl_rows" AS r
WHERE r.vl_last AND r.vl_hk IS NOT NULL AND NOT r.vl_late AND c.hk_0 = CAST(('0x' || substr(r.vl_hk, 1, 16)) AS UBIGINT) AND c.hk_1 = CAST(('0x' || substr(r.vl_hk, 17, 16)) AS UBIGINT);

-- current state: the last row of each key seen
INSERT INTO "vaultline_meta"."vault_current__vault__sat_customer" (hk_0, hk_1, load_ts, hashdiff)
SELECT CAST(('0x' || substr(vl_hk, 1, 16)) AS UBIGINT), CAST(('0x' || substr(vl_hk, 17, 16)) AS UBIGINT), load_ts, vl_hashdiff FROM "vl_rows" WHERE vl_last AND vl_hk IS NOT NULL AND NOT vl_late;

-- high-water mark of stg_customers: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.sat_customer' AND source = 'stg_customers';

-- high-water mark of stg_customers: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.sat_customer', 'stg_customers', coalesce(max(load_ts), TIMESTAMP '2024-01-05 10:15:00.123456') FROM "vl_rows";

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";
