CREATE SCHEMA IF NOT EXISTS "staging";

DROP TABLE "staging"."stg_items";

CREATE OR REPLACE VIEW "staging"."stg_items" AS
select id, name, updated_at from "staging"."stg_items";
