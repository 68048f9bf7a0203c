-- Minimum, maximum and mean per location and local day (the day as lived at the location), from the
-- newest forecast of each hour in sat_weather_hourly. `hours` counts the hours behind the figures;
-- humidity is averaged over the hours that have a value (Open-Meteo leaves some null).
with hours as (
    select *
    from {{ latest_versions(ref('sat_weather_hourly'), ['hk_location', 'observed_at_utc'], multi_active=true) }} as latest
),

locations as (
    select hk_location, location_label, timezone
    from {{ latest_versions(ref('sat_location'), ['hk_location']) }} as latest
)

select
    locations.location_label,
    hub_location.latitude,
    hub_location.longitude,
    locations.timezone,
    cast(hours.observed_at_local as date) as local_date,
    count(*) as hours,
    min(hours.temperature_c) as temperature_min_c,
    max(hours.temperature_c) as temperature_max_c,
    cast(avg(hours.temperature_c) as double precision) as temperature_mean_c,
    min(hours.relative_humidity_pct) as relative_humidity_min_pct,
    max(hours.relative_humidity_pct) as relative_humidity_max_pct,
    cast(avg(hours.relative_humidity_pct) as double precision) as relative_humidity_mean_pct,
    count(hours.relative_humidity_pct) as hours_with_humidity,
    sum(hours.precipitation_mm) as precipitation_sum_mm,
    min(hours.observed_at_utc) as first_hour_utc,
    max(hours.observed_at_utc) as last_hour_utc
from hours
inner join {{ ref('hub_location') }} as hub_location
    on hub_location.hk_location = hours.hk_location
left join locations
    on locations.hk_location = hours.hk_location
group by
    locations.location_label,
    hub_location.latitude,
    hub_location.longitude,
    locations.timezone,
    cast(hours.observed_at_local as date)
