INSERT INTO "staging"."stg_items" ("id", "name", "updated_at")
SELECT "id", "name", "updated_at" FROM "__vl_new__model_p_stg_items";
