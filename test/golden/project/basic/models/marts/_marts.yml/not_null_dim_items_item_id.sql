select *
from "marts"."dim_items"
where item_id is null
