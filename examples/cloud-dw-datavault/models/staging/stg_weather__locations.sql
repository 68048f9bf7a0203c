-- Open-Meteo grid points: one row per landed forecast. A location is identified by the grid point the
-- API answered for (latitude, longitude as returned), not by the configured name, which the payload
-- does not contain; the label is the timezone's last part (America/Sao_Paulo → Sao Paulo).
select
    latitude,
    longitude,
    replace(split_part(timezone, '/', -1), '_', ' ') as location_label,
    timezone,
    utc_offset_seconds,
    {{ clean_text("timezone_abbreviation") }} as timezone_abbreviation,
    elevation as elevation_m,
    {{ landing_columns() }}
from {{ source('weather', 'forecast') }}
