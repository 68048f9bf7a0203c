-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- rebuild: drop pit_customer
DROP TABLE IF EXISTS "vault"."pit_customer";

-- rebuild: forget the high-water marks
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer';

-- create target table
CREATE TABLE "vault"."pit_customer" (
  "hk_customer" VARCHAR NOT NULL,
  "as_of_ts" TIMESTAMP NOT NULL,
  "sat_customer_hk" VARCHAR NOT NULL,
  "sat_customer_load_ts" TIMESTAMP NOT NULL,
  "sat_customer_load_seq" INTEGER NOT NULL,
  "sat_customer_phones_hk" VARCHAR NOT NULL,
  "sat_customer_phones_load_ts" TIMESTAMP NOT NULL
);

-- new as-of timestamps
CREATE TEMPORARY TABLE "vl_asof" AS
SELECT CAST(generate_series AS TIMESTAMP) AS as_of_ts FROM generate_series(TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-08 12:00:00', INTERVAL '1 day');

-- parent keys at each new as-of
CREATE TEMPORARY TABLE "vl_grid" AS
SELECT p."hk_customer" AS vl_hk, a.as_of_ts FROM "vault"."hub_customer" AS p JOIN "vl_asof" AS a ON p.load_ts <= a.as_of_ts;

-- rows of sat_customer in effect at each new as-of
CREATE TEMPORARY TABLE "vl_pit_0" AS
WITH pointers AS (
  SELECT "hk_customer" AS vl_hk, load_ts AS vl_ts, load_ts AS vl_load_ts, max(load_seq) AS vl_load_seq
  FROM "vault"."sat_customer"
  WHERE load_ts > TIMESTAMP '0001-01-01 00:00:00' AND load_ts <= (SELECT max(as_of_ts) FROM "vl_asof")
  GROUP BY "hk_customer", load_ts
), timeline AS (
  SELECT vl_hk, vl_ts, 0 AS vl_kind, vl_load_ts FROM pointers
  UNION ALL
  SELECT vl_hk, as_of_ts, 1, NULL FROM "vl_grid"
), carried AS (
  SELECT vl_hk, vl_ts, vl_kind, max(vl_load_ts) OVER (PARTITION BY vl_hk ORDER BY vl_ts, vl_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS vl_load_ts FROM timeline
)
SELECT c.vl_hk, c.vl_ts AS as_of_ts, c.vl_load_ts, p.vl_load_seq
FROM carried AS c LEFT JOIN pointers AS p ON p.vl_hk = c.vl_hk AND p.vl_load_ts = c.vl_load_ts
WHERE c.vl_kind = 1;

-- rows of sat_customer_phones in effect at each new as-of
CREATE TEMPORARY TABLE "vl_pit_1" AS
WITH pointers AS (
  SELECT "hk_customer" AS vl_hk, load_ts AS vl_ts, load_ts AS vl_load_ts, 0 AS vl_load_seq
  FROM "vault"."sat_customer_phones"
  WHERE load_ts > TIMESTAMP '0001-01-01 00:00:00' AND load_ts <= (SELECT max(as_of_ts) FROM "vl_asof")
  GROUP BY "hk_customer", load_ts
), timeline AS (
  SELECT vl_hk, vl_ts, 0 AS vl_kind, vl_load_ts FROM pointers
  UNION ALL
  SELECT vl_hk, as_of_ts, 1, NULL FROM "vl_grid"
), carried AS (
  SELECT vl_hk, vl_ts, vl_kind, max(vl_load_ts) OVER (PARTITION BY vl_hk ORDER BY vl_ts, vl_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS vl_load_ts FROM timeline
)
SELECT c.vl_hk, c.vl_ts AS as_of_ts, c.vl_load_ts, p.vl_load_seq
FROM carried AS c LEFT JOIN pointers AS p ON p.vl_hk = c.vl_hk AND p.vl_load_ts = c.vl_load_ts
WHERE c.vl_kind = 1;

-- counts (read: stats)
SELECT (SELECT count(*) FROM "vl_grid") AS rows_read, (SELECT count(*) FROM "vl_grid") AS rows_inserted, (SELECT count(*) FROM "vl_asof") AS as_of_added;

-- insert the new as-of rows
INSERT INTO "vault"."pit_customer" ("hk_customer", "as_of_ts", "sat_customer_hk", "sat_customer_load_ts", "sat_customer_load_seq", "sat_customer_phones_hk", "sat_customer_phones_load_ts")
SELECT g.vl_hk, g.as_of_ts, CASE WHEN s0.vl_load_ts IS NULL THEN '0000000000000000000000000000000000000000000000000000000000000000' ELSE g.vl_hk END, coalesce(s0.vl_load_ts, TIMESTAMP '0001-01-01 00:00:00'), coalesce(s0.vl_load_seq, 0), CASE WHEN s1.vl_load_ts IS NULL THEN '0000000000000000000000000000000000000000000000000000000000000000' ELSE g.vl_hk END, coalesce(s1.vl_load_ts, TIMESTAMP '0001-01-01 00:00:00')
FROM "vl_grid" AS g
LEFT JOIN "vl_pit_0" AS s0 ON s0.vl_hk = g.vl_hk AND s0.as_of_ts = g.as_of_ts
LEFT JOIN "vl_pit_1" AS s1 ON s1.vl_hk = g.vl_hk AND s1.as_of_ts = g.as_of_ts;

-- newest as-of: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer' AND source = '(as_of)';

-- newest as-of
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.pit_customer', '(as_of)', coalesce(max(as_of_ts), NULL) FROM "vl_asof";

-- drop vl_asof
DROP TABLE IF EXISTS "vl_asof";

-- drop vl_grid
DROP TABLE IF EXISTS "vl_grid";

-- drop vl_pit_0
DROP TABLE IF EXISTS "vl_pit_0";

-- drop vl_pit_1
DROP TABLE IF EXISTS "vl_pit_1";
