MERGE INTO "staging"."stg_items" AS __vl_target
USING "__vl_new__model_p_stg_items" AS __vl_new
ON (__vl_new."id" = __vl_target."id")
WHEN MATCHED THEN UPDATE SET "name" = __vl_new."name", "updated_at" = __vl_new."updated_at"
WHEN NOT MATCHED THEN INSERT ("id", "name", "updated_at") VALUES (__vl_new."id", __vl_new."name", __vl_new."updated_at");
