-- Ephemeral: inlined as a CTE into the marts that ref it.
select
    i.item_id,
    i.item_name,
    i.category_code,
    c.category_name,
    i.price,
    {{ to_cents('i.price') }} as price_cents
from {{ ref('stg_items') }} as i
left join {{ ref('stg_categories') }} as c
    on c.category_code = i.category_code
where i.price >= {{ var('min_price', 0) }}
