{{ config(severity='warn', store_failures=true) }}
-- Anomaly: a World Bank population that is not a count of people — negative, fractional, or too large
-- for a BIGINT (a value such as 1e23 has been seen). population_by_country_year shows NULL for such a
-- value instead of failing every query of the mart; this warning stores every failing row, each
-- naming the payload it came from (_landing_key: `vaultline landing cat` shows the bytes).
select country_code, indicator_code, period, indicator_value, indicator_value_raw, _landing_key
from {{ ref('stg_worldbank__indicators') }}
where indicator_code = 'SP.POP.TOTL'
    and (indicator_value < 0 or indicator_value >= 9.2e18 or indicator_value <> floor(indicator_value))
