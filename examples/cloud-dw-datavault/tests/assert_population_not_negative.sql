-- Anomaly: a negative population in any landed World Bank row. Every failing row names the payload
-- it came from (_landing_key), so the bad number can be shown with `vaultline landing cat`.
select country_code, indicator_code, period, indicator_value, indicator_value_raw, _landing_key
from {{ ref('stg_worldbank__indicators') }}
where indicator_code = 'SP.POP.TOTL'
    and indicator_value < 0
