SELECT "id", count(*) AS occurrences FROM "__vl_new__model_p_stg_items" GROUP BY "id" HAVING count(*) > 1 LIMIT 3;
