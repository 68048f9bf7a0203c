-- Open-Meteo hourly variables: one row per location and hour, zipped from the payload's parallel
-- arrays (hourly.time[i] goes with hourly.temperature_2m[i], …). Times arrive local to the payload's
-- timezone; observed_at_utc converts each one with that zone's rules.
-- Relative humidity comes as `relative_humidity_2m` (current name) or `relativehumidity_2m` (before
-- 2023, still returned to configurations that ask for it); both are read through JSON, so a warehouse
-- that has only ever seen one of the two names still builds.
with payloads as (
    select
        _landing_key,
        _load_ts,
        latitude,
        longitude,
        timezone,
        hourly.time as times,
        {{ optional_double_array('hourly', 'temperature_2m') }} as temperature,
        coalesce(
            {{ optional_double_array('hourly', 'relative_humidity_2m') }},
            {{ optional_double_array('hourly', 'relativehumidity_2m') }}
        ) as humidity,
        {{ optional_double_array('hourly', 'precipitation') }} as precipitation,
        case
            when {{ optional_double_array('hourly', 'relative_humidity_2m') }} is not null then 'relative_humidity_2m'
            when {{ optional_double_array('hourly', 'relativehumidity_2m') }} is not null then 'relativehumidity_2m'
        end as humidity_field
    from {{ source('weather', 'forecast') }}
),

hours as (
    select
        payloads.*,
        unnest(range(1, len(times) + 1)) as i
    from payloads
)

select
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude,
    timezone,
    try_cast(times[i] as timestamp) as observed_at_local,
    {{ local_to_utc("try_cast(times[i] as timestamp)", "timezone") }} as observed_at_utc,
    temperature[i] as temperature_c,
    humidity[i] as relative_humidity_pct,
    precipitation[i] as precipitation_mm,
    humidity_field,
    {{ landing_columns() }}
from hours
