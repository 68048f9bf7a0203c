CREATE SCHEMA IF NOT EXISTS "seeds";

CREATE TABLE "seeds"."categories" AS
SELECT * FROM pg_temp."__vl_seed_82c9cd41bc58751c";
