select *
from "seeds"."categories"
where category_code is null
