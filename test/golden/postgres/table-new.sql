CREATE SCHEMA IF NOT EXISTS "marts";

CREATE TABLE "marts"."dim_items" AS
select id, name, updated_at from "staging"."stg_items";
