select *
from "marts"."category_summary"
where category_code is null
