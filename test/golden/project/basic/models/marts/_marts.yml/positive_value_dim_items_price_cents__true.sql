select *
from (select * from "marts"."dim_items" where category_code <> 'toys') dbt_subquery
where price_cents < 0
