MERGE INTO "staging"."stg_items" AS __vl_target
USING "__vl_new__model_p_stg_items" AS __vl_new
ON (__vl_new."id" = __vl_target."id" AND __vl_new."day" = __vl_target."day")
WHEN MATCHED THEN DO NOTHING
WHEN NOT MATCHED THEN INSERT ("id", "day") VALUES (__vl_new."id", __vl_new."day");
