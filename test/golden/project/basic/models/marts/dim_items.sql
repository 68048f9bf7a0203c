with __vl_ephemeral__int_items_priced as (
  -- Ephemeral: inlined as a CTE into the marts that ref it.
  select
      i.item_id,
      i.item_name,
      i.category_code,
      c.category_name,
      i.price,
      cast(round(i.price * 100) as bigint) as price_cents
  from "staging"."stg_items" as i
  left join "staging"."stg_categories" as c
      on c.category_code = i.category_code
  where i.price >= 0
)
select
    item_id,
    item_name,
    category_code,
    category_name,
    price,
    price_cents,
    'EUR' as currency
from __vl_ephemeral__int_items_priced
