-- Open-Meteo grid points: one row per landed payload. A location is identified by the grid point
-- the API answered for (latitude, longitude as returned), not by the configured name, which the
-- payload does not contain; the label is derived from the timezone (Africa/Johannesburg → Johannesburg).
select
    cast(latitude as double) as latitude,
    cast(longitude as double) as longitude,
    replace(regexp_extract(timezone, '[^/]+$'), '_', ' ') as location_label,
    timezone,
    cast(utc_offset_seconds as integer) as utc_offset_seconds,
    {{ clean_text("timezone_abbreviation") }} as timezone_abbreviation,
    cast(elevation as double) as elevation_m,
    {{ landing_columns() }}
from {{ source('weather', 'forecast') }}
