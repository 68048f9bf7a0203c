-- customers with their latest order: reads orders, which reads customers (a cycle)
select *
from {{ ref('orders') }}
