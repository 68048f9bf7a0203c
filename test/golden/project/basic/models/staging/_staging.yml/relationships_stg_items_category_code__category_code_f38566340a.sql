with child as (
    select category_code as from_field
    from "staging"."stg_items"
    where category_code is not null
),
parent as (
    select category_code as to_field
    from "staging"."stg_categories"
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
