-- Open-Meteo hourly variables: one row per location and hour per landed forecast. The source reads the
-- payload's parallel arrays as rows (records_layout: columns), with the grid point and timezone of the
-- payload on each. Hours arrive as local wall-clock times; observed_at_utc converts each one with the
-- timezone's rules (macros/staging.sql, local_to_utc). Relative humidity comes as
-- `relative_humidity_2m` or, for configurations from before 2023, `relativehumidity_2m`: the source
-- column takes either, and humidity_field says which one the payload used (from `hourly_units`).
select
    latitude,
    longitude,
    timezone,
    hour_local as observed_at_local,
    {{ local_to_utc("hour_local", "timezone") }} as observed_at_utc,
    temperature_2m as temperature_c,
    relative_humidity_2m as relative_humidity_pct,
    precipitation as precipitation_mm,
    case
        when humidity_unit is not null then 'relative_humidity_2m'
        when humidity_unit_pre_2023 is not null then 'relativehumidity_2m'
    end as humidity_field,
    {{ landing_columns() }}
from {{ source('weather', 'forecast_hourly') }}
