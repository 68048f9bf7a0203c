-- USGS earthquakes: one row per event per landed feed. The source reads `time` and `updated` (epoch
-- milliseconds) as UTC timestamps and the coordinates [longitude, latitude, depth in km] as three
-- columns. An event revised by USGS (new magnitude, new status) comes back with a later `updated`: the
-- satellite then gets a new row.
select
    {{ clean_key("id") }} as earthquake_id,
    mag as magnitude,
    {{ clean_text("mag_type") }} as magnitude_type,
    {{ clean_text("place") }} as place,
    event_time as event_time_utc,
    updated_at as updated_at_utc,
    {{ clean_text("status") }} as status,
    {{ clean_text("event_type") }} as event_type,
    {{ clean_text("alert") }} as alert,
    tsunami as tsunami_flag,
    sig as significance,
    felt as felt_reports,
    {{ clean_text("net") }} as network,
    longitude,
    latitude,
    depth_km,
    {{ clean_text("title") }} as title,
    {{ clean_text("url") }} as event_url,
    {{ landing_columns() }}
from {{ source('usgs', 'earthquakes') }}
