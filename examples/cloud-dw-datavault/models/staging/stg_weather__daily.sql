-- Open-Meteo's own daily aggregates: one row per location and local day, zipped like the hourly
-- arrays. Kept to reconcile weather_daily (our aggregate of the hours) with the API's
-- (tests/assert_weather_daily_matches_open_meteo.sql).
with payloads as (
    select
        _landing_key,
        _load_ts,
        latitude,
        longitude,
        timezone,
        daily.time as days,
        {{ optional_double_array('daily', 'temperature_2m_max') }} as t_max,
        {{ optional_double_array('daily', 'temperature_2m_min') }} as t_min,
        {{ optional_double_array('daily', 'precipitation_sum') }} as precipitation
    from {{ source('weather', 'forecast') }}
    where daily is not null
),

days as (
    select
        payloads.*,
        unnest(range(1, len(days) + 1)) as i
    from payloads
)

select
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude,
    timezone,
    try_cast(days[i] as date) as local_date,
    t_max[i] as temperature_max_c,
    t_min[i] as temperature_min_c,
    precipitation[i] as precipitation_sum_mm,
    {{ landing_columns() }}
from days
