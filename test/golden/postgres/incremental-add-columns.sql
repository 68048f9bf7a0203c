ALTER TABLE "staging"."stg_items" ADD COLUMN "price" numeric(10,2);

ALTER TABLE "staging"."stg_items" ADD COLUMN "tags" text[];
