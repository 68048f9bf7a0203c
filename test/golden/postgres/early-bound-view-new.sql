CREATE SCHEMA IF NOT EXISTS "staging";

CREATE VIEW "staging"."stg_items" AS
select id, name, updated_at from "staging"."stg_items";
