CREATE SCHEMA IF NOT EXISTS "audit ""x""";

CREATE TABLE "audit ""x"""."odd""name" AS
SELECT * FROM (
select 1 as id
) AS __vl_test;

SELECT count(*) AS failures FROM "audit ""x"""."odd""name";
