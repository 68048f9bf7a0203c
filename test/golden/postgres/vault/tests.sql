-- not_null_hub_customer_hk_customer (not_null on hub_customer: hk_customer)
SELECT * FROM "vault"."hub_customer" WHERE "hk_customer" IS NULL;

-- unique_hub_customer_hk_customer (unique on hub_customer: hk_customer)
SELECT "hk_customer", count(*) AS n_records FROM "vault"."hub_customer" GROUP BY "hk_customer" HAVING count(*) > 1;

-- not_null_hub_address_hk_address (not_null on hub_address: hk_address)
SELECT * FROM "vault"."hub_address" WHERE "hk_address" IS NULL;

-- unique_hub_address_hk_address (unique on hub_address: hk_address)
SELECT "hk_address", count(*) AS n_records FROM "vault"."hub_address" GROUP BY "hk_address" HAVING count(*) > 1;

-- not_null_link_customer_address_hk_customer_address (not_null on link_customer_address: hk_customer_address)
SELECT * FROM "vault"."link_customer_address" WHERE "hk_customer_address" IS NULL;

-- unique_link_customer_address_hk_customer_address (unique on link_customer_address: hk_customer_address)
SELECT "hk_customer_address", count(*) AS n_records FROM "vault"."link_customer_address" GROUP BY "hk_customer_address" HAVING count(*) > 1;

-- not_null_link_customer_address_hk_customer (not_null on link_customer_address: hk_customer)
SELECT * FROM "vault"."link_customer_address" WHERE "hk_customer" IS NULL;

-- relationships_link_customer_address_hk_customer__hub_customer (relationships on link_customer_address: hk_customer)
SELECT c."hk_customer" FROM "vault"."link_customer_address" AS c WHERE c."hk_customer" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vault"."hub_customer" AS p WHERE p."hk_customer" = c."hk_customer");

-- not_null_link_customer_address_hk_address (not_null on link_customer_address: hk_address)
SELECT * FROM "vault"."link_customer_address" WHERE "hk_address" IS NULL;

-- relationships_link_customer_address_hk_address__hub_address (relationships on link_customer_address: hk_address)
SELECT c."hk_address" FROM "vault"."link_customer_address" AS c WHERE c."hk_address" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vault"."hub_address" AS p WHERE p."hk_address" = c."hk_address");

-- unique_sat_customer_hk_customer__load_ts__load_seq (unique on sat_customer: hk_customer, load_ts, load_seq)
SELECT "hk_customer", "load_ts", "load_seq", count(*) AS n_records FROM "vault"."sat_customer" GROUP BY "hk_customer", "load_ts", "load_seq" HAVING count(*) > 1;

-- not_null_sat_customer_hk_customer (not_null on sat_customer: hk_customer)
SELECT * FROM "vault"."sat_customer" WHERE "hk_customer" IS NULL;

-- relationships_sat_customer_hk_customer__hub_customer (relationships on sat_customer: hk_customer)
SELECT c."hk_customer" FROM "vault"."sat_customer" AS c WHERE c."hk_customer" IS NOT NULL AND c."hk_customer" <> '0000000000000000000000000000000000000000000000000000000000000000' AND NOT EXISTS (SELECT 1 FROM "vault"."hub_customer" AS p WHERE p."hk_customer" = c."hk_customer");

-- ghost_record_sat_customer (ghost_record on sat_customer: hk_customer)
SELECT count(*) AS ghost_records FROM "vault"."sat_customer" WHERE "hk_customer" = '0000000000000000000000000000000000000000000000000000000000000000' AND load_ts = TIMESTAMP '0001-01-01 00:00:00' HAVING count(*) <> 1;

-- unique_sat_customer_phones_hk_customer__load_ts__phone_type (unique on sat_customer_phones: hk_customer, load_ts, phone_type)
SELECT "hk_customer", "load_ts", "phone_type", count(*) AS n_records FROM "vault"."sat_customer_phones" GROUP BY "hk_customer", "load_ts", "phone_type" HAVING count(*) > 1;

-- not_null_sat_customer_phones_hk_customer (not_null on sat_customer_phones: hk_customer)
SELECT * FROM "vault"."sat_customer_phones" WHERE "hk_customer" IS NULL;

-- relationships_sat_customer_phones_hk_customer__hub_customer (relationships on sat_customer_phones: hk_customer)
SELECT c."hk_customer" FROM "vault"."sat_customer_phones" AS c WHERE c."hk_customer" IS NOT NULL AND c."hk_customer" <> '0000000000000000000000000000000000000000000000000000000000000000' AND NOT EXISTS (SELECT 1 FROM "vault"."hub_customer" AS p WHERE p."hk_customer" = c."hk_customer");

-- ghost_record_sat_customer_phones (ghost_record on sat_customer_phones: hk_customer)
SELECT count(*) AS ghost_records FROM "vault"."sat_customer_phones" WHERE "hk_customer" = '0000000000000000000000000000000000000000000000000000000000000000' AND load_ts = TIMESTAMP '0001-01-01 00:00:00' HAVING count(*) <> 1;

-- unique_eff_customer_address_hk_customer_address__load_ts__load_seq (unique on eff_customer_address: hk_customer_address, load_ts, load_seq)
SELECT "hk_customer_address", "load_ts", "load_seq", count(*) AS n_records FROM "vault"."eff_customer_address" GROUP BY "hk_customer_address", "load_ts", "load_seq" HAVING count(*) > 1;

-- not_null_eff_customer_address_hk_customer_address (not_null on eff_customer_address: hk_customer_address)
SELECT * FROM "vault"."eff_customer_address" WHERE "hk_customer_address" IS NULL;

-- relationships_eff_customer_address_hk_customer_address__link_customer_address (relationships on eff_customer_address: hk_customer_address)
SELECT c."hk_customer_address" FROM "vault"."eff_customer_address" AS c WHERE c."hk_customer_address" IS NOT NULL AND c."hk_customer_address" <> '0000000000000000000000000000000000000000000000000000000000000000' AND NOT EXISTS (SELECT 1 FROM "vault"."link_customer_address" AS p WHERE p."hk_customer_address" = c."hk_customer_address");

-- ghost_record_eff_customer_address (ghost_record on eff_customer_address: hk_customer_address)
SELECT count(*) AS ghost_records FROM "vault"."eff_customer_address" WHERE "hk_customer_address" = '0000000000000000000000000000000000000000000000000000000000000000' AND load_ts = TIMESTAMP '0001-01-01 00:00:00' HAVING count(*) <> 1;

-- unique_rts_customer_hk_customer__load_ts (unique on rts_customer: hk_customer, load_ts)
SELECT "hk_customer", "load_ts", count(*) AS n_records FROM "vault"."rts_customer" GROUP BY "hk_customer", "load_ts" HAVING count(*) > 1;

-- not_null_rts_customer_hk_customer (not_null on rts_customer: hk_customer)
SELECT * FROM "vault"."rts_customer" WHERE "hk_customer" IS NULL;

-- relationships_rts_customer_hk_customer__hub_customer (relationships on rts_customer: hk_customer)
SELECT c."hk_customer" FROM "vault"."rts_customer" AS c WHERE c."hk_customer" IS NOT NULL AND c."hk_customer" <> '0000000000000000000000000000000000000000000000000000000000000000' AND NOT EXISTS (SELECT 1 FROM "vault"."hub_customer" AS p WHERE p."hk_customer" = c."hk_customer");

-- ghost_record_rts_customer (ghost_record on rts_customer: hk_customer)
SELECT count(*) AS ghost_records FROM "vault"."rts_customer" WHERE "hk_customer" = '0000000000000000000000000000000000000000000000000000000000000000' AND load_ts = TIMESTAMP '0001-01-01 00:00:00' HAVING count(*) <> 1;

-- unique_pit_customer_hk_customer__as_of_ts (unique on pit_customer: hk_customer, as_of_ts)
SELECT "hk_customer", "as_of_ts", count(*) AS n_records FROM "vault"."pit_customer" GROUP BY "hk_customer", "as_of_ts" HAVING count(*) > 1;

-- relationships_pit_customer_hk_customer__hub_customer (relationships on pit_customer: hk_customer)
SELECT c."hk_customer" FROM "vault"."pit_customer" AS c WHERE c."hk_customer" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "vault"."hub_customer" AS p WHERE p."hk_customer" = c."hk_customer");
