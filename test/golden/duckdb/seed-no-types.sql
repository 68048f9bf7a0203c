CREATE SCHEMA IF NOT EXISTS "seeds";

CREATE OR REPLACE TABLE "seeds"."o'brien" AS
SELECT * FROM read_csv('/p/seeds/o''brien.csv', header = true, auto_detect = true);
