-- Open-Meteo's own daily aggregates: one row per location and local day per landed forecast (a forecast
-- without daily variables has none). Kept to reconcile weather_daily (our aggregate of the hours) with
-- the API's (tests/assert_weather_daily_matches_open_meteo.sql).
select
    latitude,
    longitude,
    timezone,
    day_local as local_date,
    temperature_2m_max as temperature_max_c,
    temperature_2m_min as temperature_min_c,
    precipitation_sum as precipitation_sum_mm,
    {{ landing_columns() }}
from {{ source('weather', 'forecast_daily') }}
