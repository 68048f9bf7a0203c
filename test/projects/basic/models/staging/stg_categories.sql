select
    lower(category_code) as category_code,
    category_name,
    is_active
from {{ ref('categories') }}
