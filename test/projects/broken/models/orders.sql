select o.*, c.name
from {{ ref('customers') }} as c
join raw_orders as o on o.customer_id = c.id
