DELETE FROM "staging"."stg_items" AS __vl_target
WHERE EXISTS (SELECT 1 FROM "__vl_new__model_p_stg_items" AS __vl_new WHERE __vl_new."id" = __vl_target."id");

INSERT INTO "staging"."stg_items" ("id", "name", "updated_at")
SELECT "id", "name", "updated_at" FROM "__vl_new__model_p_stg_items";
