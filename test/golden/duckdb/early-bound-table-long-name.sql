CREATE SCHEMA IF NOT EXISTS "staging";

CREATE TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx__vl_tmp" AS
select id, name, updated_at from "staging"."stg_items";

ALTER TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" RENAME TO "stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx__vl_old";

ALTER TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx__vl_tmp" RENAME TO "stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

DROP TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx__vl_old" CASCADE;
