select *
from "sources"."demo__items"
where id is null
