-- World Bank indicator values: one row per (country, indicator, period) per landed page.
-- The source contract reads `value` as a double from a number or a numeric string (older releases send
-- "2173665655937.27"); a value that is neither is NULL plus a reject row naming the payload. A value
-- revised in a later release arrives in a later payload: staging keeps both rows, the satellite keeps
-- both versions, the marts show the newest.
select
    {{ clean_key("upper(country_code)") }} as country_code,
    {{ clean_text("countryiso3code") }} as country_iso3,
    {{ clean_text("country_name") }} as country_name,
    {{ clean_key("upper(indicator_code)") }} as indicator_code,
    {{ clean_text("indicator_name") }} as indicator_name,
    {{ clean_key("period") }} as period,
    -- A year for annual series ("2023"); NULL for quarterly or monthly ones ("2023Q1", "2023M01").
    {{ safe_cast("trim(period)", "integer") }} as year,
    value as indicator_value,
    -- The value as landed, as text, beside the number.
    value_text as indicator_value_raw,
    {{ clean_text("unit") }} as unit,
    {{ clean_text("obs_status") }} as obs_status,
    decimals,
    lastupdated as release_date,
    {{ landing_columns() }}
from {{ source('worldbank', 'indicators') }}
