select *
from "staging"."stg_items"
where item_id is null
