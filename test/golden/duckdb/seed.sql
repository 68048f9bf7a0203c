CREATE SCHEMA IF NOT EXISTS "seeds";

CREATE OR REPLACE TABLE "seeds"."categories" AS
SELECT * FROM read_csv('/p/seeds/categories.csv', header = true, auto_detect = true, column_types = {'code': 'VARCHAR', 'rate': 'DECIMAL(5,2)'});
