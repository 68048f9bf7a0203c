CREATE SCHEMA IF NOT EXISTS "staging";

CREATE TABLE "staging"."stg_items__vl_tmp" AS
select id, name, updated_at from "staging"."stg_items";

ALTER VIEW "staging"."stg_items" RENAME TO "stg_items__vl_old";

ALTER TABLE "staging"."stg_items__vl_tmp" RENAME TO "stg_items";

DROP VIEW "staging"."stg_items__vl_old" CASCADE;
