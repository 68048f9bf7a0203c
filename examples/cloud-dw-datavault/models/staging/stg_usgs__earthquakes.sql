-- USGS earthquakes: one row per event per landed feed. `time` and `updated` are epoch milliseconds;
-- coordinates are [longitude, latitude, depth in km]. An event revised by USGS (new magnitude, new
-- status) comes back with a later `updated`: the satellite then gets a new row.
select
    {{ clean_key("id") }} as earthquake_id,
    cast(properties.mag as double) as magnitude,
    {{ clean_text("properties.magType") }} as magnitude_type,
    {{ clean_text("properties.place") }} as place,
    epoch_ms(properties.time) as event_time_utc,
    epoch_ms(properties.updated) as updated_at_utc,
    {{ clean_text("properties.status") }} as status,
    {{ clean_text("properties.type") }} as event_type,
    {{ clean_text("properties.alert") }} as alert,
    cast(properties.tsunami as integer) as tsunami_flag,
    cast(properties.sig as integer) as significance,
    cast(properties.felt as integer) as felt_reports,
    {{ clean_text("properties.net") }} as network,
    cast(geometry.coordinates[1] as double) as longitude,
    cast(geometry.coordinates[2] as double) as latitude,
    cast(geometry.coordinates[3] as double) as depth_km,
    {{ clean_text("properties.title") }} as title,
    {{ clean_text("properties.url") }} as event_url,
    {{ landing_columns() }}
from {{ source('usgs', 'earthquakes') }}
