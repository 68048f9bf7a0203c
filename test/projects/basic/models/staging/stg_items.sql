{{ config(
    materialized='incremental',
    unique_key='item_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
) }}
-- One row per item: the latest landed version wins (within a batch here, across batches by merge).
select
    cast(id as integer) as item_id,
    trim(name) as item_name,
    lower(trim(category)) as category_code,
    cast(price as decimal(10, 2)) as price,
    {{ hash_key("cast(id as varchar)") }} as hk_item,
    {{ hash_diff(["trim(name)", "lower(trim(category))", "cast(price as varchar)"]) }} as hashdiff,
    _landing_key,
    _load_ts,
    _record_source
from {{ source('demo', 'items') }}
{% if is_incremental() %}
where _landing_key not in (select _landing_key from {{ this }})
{% endif %}
qualify row_number() over (partition by id order by _load_ts desc, _landing_key desc) = 1
