CREATE SCHEMA IF NOT EXISTS "vaultline_test_failures";

CREATE TABLE "vaultline_test_failures"."not_null_stg_items_item_id" AS
SELECT * FROM (
select *
from "staging"."stg_items"
where item_id is null
-- trailing comment
) AS __vl_test;

SELECT count(*) AS failures FROM "vaultline_test_failures"."not_null_stg_items_item_id";

SELECT * FROM "vaultline_test_failures"."not_null_stg_items_item_id" LIMIT 5;
