-- create target schema
CREATE SCHEMA IF NOT EXISTS "vault";

-- rebuild: drop pit_customer
DROP TABLE IF EXISTS "vault"."pit_customer";

-- rebuild: forget the high-water marks
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer';

-- create target table
CREATE TABLE "vault"."pit_customer" (
  "hk_customer" text NOT NULL,
  "as_of_ts" timestamp NOT NULL,
  "sat_customer_hk" text NOT NULL,
  "sat_customer_load_ts" timestamp NOT NULL,
  "sat_customer_load_seq" integer NOT NULL,
  "sat_customer_phones_hk" text NOT NULL,
  "sat_customer_phones_load_ts" timestamp NOT NULL
);

-- as-of timestamps up to the build time
CREATE TEMPORARY TABLE "vl_asof" AS
SELECT CAST(generate_series AS timestamp) AS as_of_ts FROM generate_series(TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-08 00:00:00', INTERVAL '1 day');

-- as-of timestamps in the table
CREATE TEMPORARY TABLE "vl_asof_old" AS SELECT as_of_ts FROM "vl_asof" WHERE FALSE;

-- as-of timestamps to add (after the newest, or a backfill before it)
CREATE TEMPORARY TABLE "vl_asof_new" AS SELECT as_of_ts FROM "vl_asof" AS a
WHERE NOT EXISTS (SELECT 1 FROM "vl_asof_old" AS o WHERE o.as_of_ts = a.as_of_ts);

-- keys the parent or a satellite inserted rows for since the last build, and from when
CREATE TEMPORARY TABLE "vl_changed" AS
SELECT c.vl_hk, min(c.vl_from) AS vl_from FROM (
  SELECT hk AS vl_hk, TIMESTAMP '0001-01-01 00:00:00' AS vl_from FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.hub_customer' AND load_id > 0 AND load_id <= 5
  UNION ALL
  SELECT hk AS vl_hk, first_load_ts AS vl_from FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.sat_customer' AND load_id > 0 AND load_id <= 6
  UNION ALL
  SELECT hk AS vl_hk, first_load_ts AS vl_from FROM "vaultline_meta"."vault_changes" WHERE entity = 'vault.sat_customer_phones' AND load_id > 0 AND load_id <= 7
) AS c
JOIN "vault"."hub_customer" AS p ON p."hk_customer" = c.vl_hk
WHERE c.vl_from <= (SELECT max(as_of_ts) FROM "vl_asof_old") GROUP BY c.vl_hk;

-- rows to compute: every key at a new as-of; changed keys at the as-ofs they affect
CREATE TEMPORARY TABLE "vl_grid" AS
SELECT p."hk_customer" AS vl_hk, a.as_of_ts FROM "vault"."hub_customer" AS p CROSS JOIN "vl_asof_new" AS a
UNION ALL
SELECT c.vl_hk, o.as_of_ts FROM "vl_changed" AS c JOIN "vl_asof_old" AS o ON o.as_of_ts >= c.vl_from
WHERE EXISTS (SELECT 1 FROM "vl_asof" AS a WHERE a.as_of_ts = o.as_of_ts);

-- rows to recompute: their old copies go
DELETE FROM "vault"."pit_customer" AS t USING "vl_grid" AS g
WHERE t."hk_customer" = g.vl_hk AND t.as_of_ts = g.as_of_ts;

-- history needed: a backfill or a changed key (read: gate)
SELECT (SELECT count(*) FROM "vl_asof_new" WHERE as_of_ts < (SELECT max(as_of_ts) FROM "vl_asof_old")) + (SELECT count(*) FROM "vl_changed") AS n;

-- rows of sat_customer loaded after the newest as-of, and the pointers in effect at it
CREATE TEMPORARY TABLE "vl_pit_0_ptr" AS
SELECT * FROM (
  SELECT "hk_customer" AS vl_hk, load_ts AS vl_ts, coalesce(to_char(CAST(NULL AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US'), '0001-01-01 00:00:00') || ' ' || to_char(CAST(load_ts AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || lpad(CAST(load_seq AS text), 10, '0') AS vl_order, load_ts AS vl_load_ts, load_seq AS vl_load_seq, NULL AS vl_eff
  FROM "vault"."sat_customer" WHERE load_ts > coalesce((SELECT max(as_of_ts) FROM "vl_asof_old"), TIMESTAMP '0001-01-01 00:00:00') AND load_ts <= (SELECT max(as_of_ts) FROM "vl_grid")
) AS p;

-- older rows of sat_customer for a backfill or the changed keys
INSERT INTO "vl_pit_0_ptr"
SELECT "hk_customer" AS vl_hk, load_ts AS vl_ts, coalesce(to_char(CAST(NULL AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US'), '0001-01-01 00:00:00') || ' ' || to_char(CAST(load_ts AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || lpad(CAST(load_seq AS text), 10, '0') AS vl_order, load_ts AS vl_load_ts, load_seq AS vl_load_seq, NULL AS vl_eff
  FROM "vault"."sat_customer" WHERE load_ts > TIMESTAMP '0001-01-01 00:00:00' AND load_ts <= (SELECT max(as_of_ts) FROM "vl_asof_old") AND (EXISTS (SELECT 1 FROM "vl_asof_new" WHERE as_of_ts < (SELECT max(as_of_ts) FROM "vl_asof_old")) OR "hk_customer" IN (SELECT vl_hk FROM "vl_changed"));

-- rows of sat_customer in effect at each as-of to compute
CREATE TEMPORARY TABLE "vl_pit_0" AS
WITH timeline AS (
  SELECT vl_hk, vl_ts, 0 AS vl_kind, vl_order FROM "vl_pit_0_ptr"
  UNION ALL
  SELECT vl_hk, as_of_ts, 1, NULL FROM "vl_grid"
), carried AS (
  SELECT vl_hk, vl_ts, vl_kind, max((vl_order COLLATE "C")) OVER (PARTITION BY vl_hk ORDER BY vl_ts, vl_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS vl_order FROM timeline
)
SELECT c.vl_hk, c.vl_ts AS as_of_ts, p.vl_load_ts, p.vl_load_seq, p.vl_eff
FROM carried AS c LEFT JOIN (SELECT DISTINCT vl_hk, vl_order, vl_load_ts, vl_load_seq, vl_eff FROM "vl_pit_0_ptr") AS p
  ON p.vl_hk = c.vl_hk AND p.vl_order = c.vl_order
WHERE c.vl_kind = 1;

-- rows of sat_customer_phones loaded after the newest as-of, and the pointers in effect at it
CREATE TEMPORARY TABLE "vl_pit_1_ptr" AS
SELECT * FROM (
  SELECT "hk_customer" AS vl_hk, load_ts AS vl_ts, coalesce(to_char(CAST(NULL AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US'), '0001-01-01 00:00:00') || ' ' || to_char(CAST(load_ts AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || lpad(CAST(0 AS text), 10, '0') AS vl_order, load_ts AS vl_load_ts, 0 AS vl_load_seq, NULL AS vl_eff
  FROM "vault"."sat_customer_phones" WHERE load_ts > coalesce((SELECT max(as_of_ts) FROM "vl_asof_old"), TIMESTAMP '0001-01-01 00:00:00') AND load_ts <= (SELECT max(as_of_ts) FROM "vl_grid")
  GROUP BY "hk_customer", load_ts
) AS p;

-- older rows of sat_customer_phones for a backfill or the changed keys
INSERT INTO "vl_pit_1_ptr"
SELECT "hk_customer" AS vl_hk, load_ts AS vl_ts, coalesce(to_char(CAST(NULL AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US'), '0001-01-01 00:00:00') || ' ' || to_char(CAST(load_ts AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || lpad(CAST(0 AS text), 10, '0') AS vl_order, load_ts AS vl_load_ts, 0 AS vl_load_seq, NULL AS vl_eff
  FROM "vault"."sat_customer_phones" WHERE load_ts > TIMESTAMP '0001-01-01 00:00:00' AND load_ts <= (SELECT max(as_of_ts) FROM "vl_asof_old") AND (EXISTS (SELECT 1 FROM "vl_asof_new" WHERE as_of_ts < (SELECT max(as_of_ts) FROM "vl_asof_old")) OR "hk_customer" IN (SELECT vl_hk FROM "vl_changed"))
  GROUP BY "hk_customer", load_ts;

-- rows of sat_customer_phones in effect at each as-of to compute
CREATE TEMPORARY TABLE "vl_pit_1" AS
WITH timeline AS (
  SELECT vl_hk, vl_ts, 0 AS vl_kind, vl_order FROM "vl_pit_1_ptr"
  UNION ALL
  SELECT vl_hk, as_of_ts, 1, NULL FROM "vl_grid"
), carried AS (
  SELECT vl_hk, vl_ts, vl_kind, max((vl_order COLLATE "C")) OVER (PARTITION BY vl_hk ORDER BY vl_ts, vl_kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS vl_order FROM timeline
)
SELECT c.vl_hk, c.vl_ts AS as_of_ts, p.vl_load_ts, p.vl_load_seq, p.vl_eff
FROM carried AS c LEFT JOIN (SELECT DISTINCT vl_hk, vl_order, vl_load_ts, vl_load_seq, vl_eff FROM "vl_pit_1_ptr") AS p
  ON p.vl_hk = c.vl_hk AND p.vl_order = c.vl_order
WHERE c.vl_kind = 1;

-- counts (read: stats)
SELECT (SELECT count(*) FROM "vl_grid") AS rows_read, (SELECT count(*) FROM "vl_grid") AS rows_inserted,
  (SELECT count(*) FROM "vl_asof_new") AS as_of_added,
  (SELECT count(*) FROM "vl_grid" AS g WHERE EXISTS (SELECT 1 FROM "vl_asof_old" AS o WHERE o.as_of_ts = g.as_of_ts)) AS rows_recomputed,
  (SELECT count(*) FROM "vl_asof_old" AS o WHERE NOT EXISTS (SELECT 1 FROM "vl_asof" AS a WHERE a.as_of_ts = o.as_of_ts)) AS as_of_removed;

-- as-of timestamps the as-of model no longer has
DELETE FROM "vault"."pit_customer" WHERE as_of_ts IN (SELECT as_of_ts FROM "vl_asof_old" AS o WHERE NOT EXISTS (SELECT 1 FROM "vl_asof" AS a WHERE a.as_of_ts = o.as_of_ts));

-- insert the computed rows
INSERT INTO "vault"."pit_customer" ("hk_customer", "as_of_ts", "sat_customer_hk", "sat_customer_load_ts", "sat_customer_load_seq", "sat_customer_phones_hk", "sat_customer_phones_load_ts")
SELECT g.vl_hk, g.as_of_ts, CASE WHEN s0.vl_load_ts IS NULL THEN '0000000000000000000000000000000000000000000000000000000000000000' ELSE g.vl_hk END, coalesce(s0.vl_load_ts, TIMESTAMP '0001-01-01 00:00:00'), coalesce(s0.vl_load_seq, 0), CASE WHEN s1.vl_load_ts IS NULL THEN '0000000000000000000000000000000000000000000000000000000000000000' ELSE g.vl_hk END, coalesce(s1.vl_load_ts, TIMESTAMP '0001-01-01 00:00:00')
FROM "vl_grid" AS g
LEFT JOIN "vl_pit_0" AS s0 ON s0.vl_hk = g.vl_hk AND s0.as_of_ts = g.as_of_ts
LEFT JOIN "vl_pit_1" AS s1 ON s1.vl_hk = g.vl_hk AND s1.as_of_ts = g.as_of_ts;

-- newest as-of: forget the old one
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer' AND source = '(as_of)';

-- newest as-of
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_load_ts)
SELECT 'vault.pit_customer', '(as_of)', max(as_of_ts) FROM "vault"."pit_customer";

-- change log of vault.hub_customer: forget the old position
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer' AND source = 'changes:vault.hub_customer';

-- change log of vault.hub_customer: consumed up to load 5
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_seq) VALUES ('vault.pit_customer', 'changes:vault.hub_customer', 5);

-- change log of vault.sat_customer: forget the old position
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer' AND source = 'changes:vault.sat_customer';

-- change log of vault.sat_customer: consumed up to load 6
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_seq) VALUES ('vault.pit_customer', 'changes:vault.sat_customer', 6);

-- change log of vault.sat_customer_phones: forget the old position
DELETE FROM "vaultline_meta"."vault_load_state" WHERE entity = 'vault.pit_customer' AND source = 'changes:vault.sat_customer_phones';

-- change log of vault.sat_customer_phones: consumed up to load 7
INSERT INTO "vaultline_meta"."vault_load_state" (entity, source, high_water_seq) VALUES ('vault.pit_customer', 'changes:vault.sat_customer_phones', 7);

-- drop vl_asof
DROP TABLE IF EXISTS "vl_asof";

-- drop vl_asof_old
DROP TABLE IF EXISTS "vl_asof_old";

-- drop vl_asof_new
DROP TABLE IF EXISTS "vl_asof_new";

-- drop vl_changed
DROP TABLE IF EXISTS "vl_changed";

-- drop vl_grid
DROP TABLE IF EXISTS "vl_grid";

-- drop vl_pit_0
DROP TABLE IF EXISTS "vl_pit_0";

-- drop vl_pit_1
DROP TABLE IF EXISTS "vl_pit_1";

-- drop vl_pit_0_ptr
DROP TABLE IF EXISTS "vl_pit_0_ptr";

-- drop vl_pit_1_ptr
DROP TABLE IF EXISTS "vl_pit_1_ptr";
