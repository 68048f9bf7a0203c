-- Measurements per sensor, parameter and local day (the day at the sensor, from OpenAQ's local
-- timestamp): count, minimum, maximum and mean, from the newest version of each hourly measurement.
with measurements as (
    select *
    from {{ latest_versions(ref('sat_sensor_measurements'), ['hk_sensor_hour']) }} as latest
)

select
    hub_sensor.sensor_id,
    measurements.parameter_name,
    measurements.units,
    cast(left(measurements.period_start_local, 10) as date) as local_date,
    count(*) as measurements,
    min(measurements.value) as value_min,
    max(measurements.value) as value_max,
    cast(avg(measurements.value) as double precision) as value_mean,
    count(case when measurements.has_flags then 1 end) as flagged_measurements,
    min({{ period_label_to_utc('hub_period.period') }}) as first_period_utc,
    max({{ period_label_to_utc('hub_period.period') }}) as last_period_utc
from measurements
inner join {{ ref('link_sensor_hour') }} as link
    on link.hk_sensor_hour = measurements.hk_sensor_hour
inner join {{ ref('hub_sensor') }} as hub_sensor
    on hub_sensor.hk_sensor = link.hk_sensor
inner join {{ ref('hub_period') }} as hub_period
    on hub_period.hk_period = link.hk_period
group by
    hub_sensor.sensor_id,
    measurements.parameter_name,
    measurements.units,
    cast(left(measurements.period_start_local, 10) as date)
