with all_values as (
    select
        category_code as value_field,
        count(*) as n_records
    from "staging"."stg_items"
    group by category_code
)
select *
from all_values
where value_field not in (
    'tools',
    'garden',
    'kitchen'
)
