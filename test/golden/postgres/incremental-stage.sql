DROP TABLE IF EXISTS "__vl_new__model_p_stg_items";

CREATE TEMPORARY TABLE "__vl_new__model_p_stg_items" AS
select id, name, updated_at from "staging"."stg_items";
