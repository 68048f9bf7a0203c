select
    item_id,
    item_name,
    category_code,
    category_name,
    price,
    price_cents,
    '{{ var("currency") }}' as currency
from {{ ref('int_items_priced') }}
