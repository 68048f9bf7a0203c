CREATE SCHEMA IF NOT EXISTS "seeds";

CREATE TABLE "seeds"."o'brien__vl_tmp" AS
SELECT * FROM pg_temp."__vl_seed_b2577edbfa8abd22";

ALTER TABLE "seeds"."o'brien" RENAME TO "o'brien__vl_old";

ALTER TABLE "seeds"."o'brien__vl_tmp" RENAME TO "o'brien";

DROP TABLE "seeds"."o'brien__vl_old" CASCADE;
