-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- schema drift: add column birth_date
ALTER TABLE "vault"."sat_customer" ADD COLUMN "birth_date" DATE;

-- current state: latest hashdiff per key
CREATE TABLE IF NOT EXISTS "vaultline_meta"."vault_current__vault__sat_customer" (hk VARCHAR NOT NULL, load_ts TIMESTAMP NOT NULL, load_seq INTEGER NOT NULL, hashdiff VARCHAR NOT NULL);

-- batch: staging rows above the high-water mark, hashed
CREATE TEMPORARY TABLE "vl_rows" AS
SELECT 'stg_customers' AS vl_source, CASE WHEN nullif(trim(CAST((s."customer_id") AS VARCHAR)), '') IS NULL THEN NULL ELSE sha256(coalesce(nullif(upper(trim(CAST((s."customer_id") AS VARCHAR))), ''), '^^')) END AS vl_hk,
  sha256(regexp_replace(concat_ws('||', coalesce(nullif(trim(CAST((s."name") AS VARCHAR)), ''), '^^'), coalesce(nullif(trim(CASE WHEN CAST((s."balance") AS VARCHAR) IS NULL THEN NULL WHEN length(split_part(ltrim(CAST((s."balance") AS VARCHAR), '-'), '.', 1)) > 21 OR starts_with(ltrim(CAST((s."balance") AS VARCHAR), '-'), '0.000000') OR (starts_with(CAST((s."balance") AS VARCHAR), '-') AND ltrim(ltrim(CAST((s."balance") AS VARCHAR), '-'), '0.') = '') THEN list_transform([CAST((s."balance") AS VARCHAR)], lambda vl_t: CASE WHEN vl_t IS NULL THEN NULL WHEN vl_t IN ('nan', '-nan') THEN 'NaN' WHEN vl_t = 'inf' THEN 'Infinity' WHEN vl_t = '-inf' THEN '-Infinity' ELSE list_transform([regexp_extract(vl_t, '^(-?)0*([0-9]*)\.?([0-9]*)(?:e([+-][0-9]+))?$', ['s', 'i', 'f', 'e'])], lambda vl_p: list_transform([{'s': vl_p.s, 'd': rtrim(ltrim(vl_p.i || vl_p.f, '0'), '0'), 'n': length(vl_p.i) + coalesce(TRY_CAST(vl_p.e AS INTEGER), 0) - (length(vl_p.i || vl_p.f) - length(ltrim(vl_p.i || vl_p.f, '0')))}], lambda vl_q: CASE WHEN vl_q.d = '' THEN '0' ELSE vl_q.s || CASE WHEN vl_q.n >= length(vl_q.d) AND vl_q.n <= 21 THEN vl_q.d || repeat('0', vl_q.n - length(vl_q.d)) WHEN vl_q.n > 0 AND vl_q.n <= 21 THEN substr(vl_q.d, 1, vl_q.n) || '.' || substr(vl_q.d, vl_q.n + 1) WHEN vl_q.n > -6 AND vl_q.n <= 0 THEN '0.' || repeat('0', -vl_q.n) || vl_q.d ELSE substr(vl_q.d, 1, 1) || CASE WHEN length(vl_q.d) > 1 THEN '.' || substr(vl_q.d, 2) ELSE '' END || 'e' || CASE WHEN vl_q.n > 0 THEN '+' ELSE '-' END || CAST(abs(vl_q.n - 1) AS VARCHAR) END END)[1])[1] END)[1] WHEN contains(CAST((s."balance") AS VARCHAR), '.') THEN rtrim(rtrim(CAST((s."balance") AS VARCHAR), '0'), '.') ELSE CAST((s."balance") AS VARCHAR) END), ''), '^^'), coalesce(nullif(trim(CAST((s."birth_date") AS VARCHAR)), ''), '^^')), '(\|\|\^\^)+$', '')) AS vl_hashdiff,
  s."event_seq" AS vl_seq_0,
  s."name" AS "name", s."balance" AS "balance", s."birth_date" AS "birth_date",
  (s."load_ts" AT TIME ZONE 'UTC') AS load_ts, CAST(s."record_source" AS VARCHAR) AS record_source
FROM "staging"."stg_customers" AS s WHERE s."load_ts" > TIMESTAMPTZ '2024-01-05 10:15:00.123456+00';

-- counts per source (read: sources)
SELECT vl_source AS source, count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, CAST(max(load_ts) AS VARCHAR) AS high_water
FROM "vl_rows" GROUP BY vl_source ORDER BY vl_source;

-- classify: late, duplicate, unchanged or new; number new rows sharing a load_ts
CREATE TEMPORARY TABLE "vl_next" AS
SELECT z.*, CASE WHEN vl_status = 'new' THEN row_number() OVER (PARTITION BY vl_hk, load_ts, vl_status = 'new' ORDER BY vl_seq_0, vl_hashdiff) - 1 END AS load_seq
FROM (
  SELECT y.*, CASE WHEN vl_late THEN 'late' WHEN vl_copy > 1 THEN 'duplicate'
    WHEN vl_hashdiff = coalesce(vl_prev, vl_cur_hashdiff) THEN 'unchanged' ELSE 'new' END AS vl_status
  FROM (
    SELECT x.*, lag(vl_hashdiff) OVER (PARTITION BY vl_hk, vl_late OR vl_copy > 1 ORDER BY load_ts, vl_seq_0, vl_hashdiff) AS vl_prev
    FROM (
      SELECT r.*, c.hashdiff AS vl_cur_hashdiff, coalesce(r.load_ts <= c.load_ts, FALSE) AS vl_late,
        row_number() OVER (PARTITION BY r.vl_hk, r.load_ts, r.vl_seq_0, r.vl_hashdiff ORDER BY r.record_source, r."name", r."balance", r."birth_date") AS vl_copy
      FROM "vl_rows" AS r LEFT JOIN "vaultline_meta"."vault_current__vault__sat_customer" AS c ON c.hk = r.vl_hk
      WHERE r.vl_hk IS NOT NULL
    ) AS x
  ) AS y
) AS z;

-- counts (read: stats)
SELECT (SELECT count(*) FROM "vl_rows") AS rows_read,
  (SELECT count(*) - count(vl_hk) FROM "vl_rows") AS skipped_null_keys,
  coalesce(sum(CASE WHEN vl_status = 'late' THEN 1 ELSE 0 END), 0) AS skipped_late_rows,
  coalesce(sum(CASE WHEN vl_status = 'duplicate' THEN 1 ELSE 0 END), 0) AS duplicates,
  coalesce(sum(CASE WHEN vl_status = 'unchanged' THEN 1 ELSE 0 END), 0) AS unchanged,
  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS rows_inserted
FROM "vl_next";

-- insert changes
INSERT INTO "vault"."sat_customer" ("hk_customer", load_ts, load_seq, record_source, hashdiff, "name", "balance", "birth_date")
SELECT vl_hk, load_ts, load_seq, record_source, vl_hashdiff, "name", "balance", "birth_date"
FROM "vl_next" WHERE vl_status = 'new';

-- current state: forget changed keys
DELETE FROM "vaultline_meta"."vault_current__vault__sat_customer" WHERE hk IN (SELECT vl_hk FROM "vl_next" WHERE vl_status = 'new');

-- current state: newest row of changed keys
INSERT INTO "vaultline_meta"."vault_current__vault__sat_customer" (hk, load_ts, load_seq, hashdiff)
SELECT vl_hk, load_ts, load_seq, vl_hashdiff FROM (
  SELECT n.*, row_number() OVER (PARTITION BY vl_hk ORDER BY load_ts DESC, load_seq DESC) AS vl_rank
  FROM "vl_next" AS n WHERE vl_status = 'new'
) AS latest WHERE vl_rank = 1;

-- high-water mark of stg_customers: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.sat_customer' AND source = 'stg_customers';

-- high-water mark of stg_customers: newest load_ts read
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.sat_customer', 'stg_customers', coalesce(max(load_ts), TIMESTAMP '2024-01-05 10:15:00.123456') FROM "vl_rows";

-- drop vl_rows
DROP TABLE IF EXISTS "vl_rows";

-- drop vl_next
DROP TABLE IF EXISTS "vl_next";
