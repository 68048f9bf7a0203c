CREATE SCHEMA IF NOT EXISTS "marts";

CREATE TABLE "marts"."dim_items__vl_tmp" AS
select id, name, updated_at from "staging"."stg_items";

ALTER VIEW "marts"."dim_items" RENAME TO "dim_items__vl_old";

ALTER TABLE "marts"."dim_items__vl_tmp" RENAME TO "dim_items";

DROP VIEW "marts"."dim_items__vl_old" CASCADE;
