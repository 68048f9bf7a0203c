select
    category_code as unique_field,
    count(*) as n_records
from "marts"."category_summary"
where category_code is not null
group by category_code
having count(*) > 1
