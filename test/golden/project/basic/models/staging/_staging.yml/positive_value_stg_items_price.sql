select *
from "staging"."stg_items"
where price <= 0
