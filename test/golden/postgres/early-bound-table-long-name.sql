CREATE SCHEMA IF NOT EXISTS "staging";

CREATE TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_992f06bae6__vl_tmp" AS
select id, name, updated_at from "staging"."stg_items";

ALTER TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" RENAME TO "stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_c194b48bc6__vl_old";

ALTER TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_992f06bae6__vl_tmp" RENAME TO "stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

DROP TABLE "staging"."stg_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_c194b48bc6__vl_old" CASCADE;
