CREATE SCHEMA IF NOT EXISTS "vaultline_test_failures";

CREATE TABLE "vaultline_test_failures"."not_null_stg_items_item_id__vl_tmp" AS
SELECT * FROM (
select *
from "staging"."stg_items"
where item_id is null
-- trailing comment
) AS __vl_test;

ALTER TABLE "vaultline_test_failures"."not_null_stg_items_item_id" RENAME TO "not_null_stg_items_item_id__vl_old";

ALTER TABLE "vaultline_test_failures"."not_null_stg_items_item_id__vl_tmp" RENAME TO "not_null_stg_items_item_id";

DROP TABLE "vaultline_test_failures"."not_null_stg_items_item_id__vl_old" CASCADE;

SELECT count(*) AS failures FROM "vaultline_test_failures"."not_null_stg_items_item_id";

SELECT * FROM "vaultline_test_failures"."not_null_stg_items_item_id" LIMIT 5;
