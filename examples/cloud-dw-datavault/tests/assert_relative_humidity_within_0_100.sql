-- Anomaly: a relative humidity outside 0–100 % in any landed Open-Meteo hour (NULL is allowed:
-- Open-Meteo leaves hours without a value).
select latitude, longitude, observed_at_utc, relative_humidity_pct, humidity_field, _landing_key
from {{ ref('stg_weather__hourly') }}
where relative_humidity_pct < 0
    or relative_humidity_pct > 100
