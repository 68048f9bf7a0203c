select *
from "staging"."stg_categories"
where category_code is null
