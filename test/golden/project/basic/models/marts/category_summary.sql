select
    category_code,
    count(*) as item_count,
    sum(price_cents) as total_price_cents
from "marts"."dim_items"
group by category_code
