select sum(amount) as revenue
from {{ ref('order') }}
