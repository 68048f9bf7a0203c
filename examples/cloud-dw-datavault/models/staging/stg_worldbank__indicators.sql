-- World Bank indicator values: one row per (country, indicator, period) per landed page.
-- World Bank sends `value` and `decimal` as numbers in most answers and as numeric strings in some
-- (the source column is therefore VARCHAR); TRY_CAST turns both into numbers and anything else into
-- NULL, never an error. A value revised in a later release arrives in a later payload: staging keeps
-- both rows, the satellite keeps both versions, the marts show the newest.
select
    {{ clean_key("upper(country.id)") }} as country_code,
    {{ clean_text("countryiso3code") }} as country_iso3,
    {{ clean_text("country.value") }} as country_name,
    {{ clean_key("upper(indicator.id)") }} as indicator_code,
    {{ clean_text("indicator.value") }} as indicator_name,
    {{ clean_key("date") }} as period,
    try_cast(trim(cast(date as varchar)) as integer) as year,
    try_cast(trim(cast(value as varchar)) as double) as indicator_value,
    -- The text as landed, so a value TRY_CAST could not read is visible rather than silently NULL.
    cast(value as varchar) as indicator_value_raw,
    {{ clean_text("unit") }} as unit,
    {{ clean_text("obs_status") }} as obs_status,
    try_cast(trim(cast(decimal as varchar)) as integer) as decimals,
    {{ landing_columns() }}
from {{ source('worldbank', 'indicators') }}
