ALTER TABLE "staging"."stg_items" ADD COLUMN "price" DECIMAL(10,2);

ALTER TABLE "staging"."stg_items" ADD COLUMN "tags" VARCHAR[];
