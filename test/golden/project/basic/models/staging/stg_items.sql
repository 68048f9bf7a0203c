-- One row per item: the latest landed version wins (within a batch here, across batches by merge).
select
    cast(id as integer) as item_id,
    trim(name) as item_name,
    lower(trim(category)) as category_code,
    cast(price as decimal(10, 2)) as price,
    sha256(upper(trim(cast(id as varchar)))) as hk_item,
    sha256(upper(trim(trim(name) || '|' || lower(trim(category)) || '|' || cast(price as varchar)))) as hashdiff,
    _landing_key,
    _load_ts,
    _record_source
from "sources"."demo__items"

qualify row_number() over (partition by id order by _load_ts desc, _landing_key desc) = 1
