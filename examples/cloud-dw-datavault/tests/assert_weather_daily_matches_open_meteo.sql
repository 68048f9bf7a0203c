-- Reconciliation: our daily aggregate of the hours (weather_daily) against Open-Meteo's own daily
-- figures for the same location and local day (sat_weather_daily): maximum, minimum and precipitation
-- must agree to 0.05. A difference means hours are missing, doubled or assigned to the wrong day.
with ours as (
    select hub_location.hk_location, weather_daily.*
    from {{ ref('weather_daily') }} as weather_daily
    inner join {{ ref('hub_location') }} as hub_location
        on hub_location.latitude = weather_daily.latitude
        and hub_location.longitude = weather_daily.longitude
),

theirs as (
    select *
    from {{ latest_versions(ref('sat_weather_daily'), ['hk_location', 'local_date'], multi_active=true) }} as latest
)

select
    ours.location_label,
    ours.local_date,
    ours.temperature_max_c, theirs.temperature_max_c as open_meteo_max_c,
    ours.temperature_min_c, theirs.temperature_min_c as open_meteo_min_c,
    ours.precipitation_sum_mm, theirs.precipitation_sum_mm as open_meteo_precipitation_mm,
    theirs.record_source
from ours
inner join theirs
    on theirs.hk_location = ours.hk_location
    and theirs.local_date = ours.local_date
where abs(ours.temperature_max_c - theirs.temperature_max_c) > 0.05
    or abs(ours.temperature_min_c - theirs.temperature_min_c) > 0.05
    or abs(ours.precipitation_sum_mm - theirs.precipitation_sum_mm) > 0.05
