-- OpenAQ measurements: one row per sensor and measurement period per landed page.
-- period.datetimeFrom is {utc, local}; the UTC text is the key, the local one is kept as landed.
-- The body does not name its sensor — only the request URL (/v3/sensors/{id}/measurements) does, and
-- source relations do not expose the request yet — so sensor_id comes from the var openaq_sensor_id,
-- which must match the single sensor in connectors.openaq.sensor_ids (README.md, "Known limits").
select
    {{ clean_key("'" ~ var('openaq_sensor_id') ~ "'") }} as sensor_id,
    {{ iso_to_utc("period.datetimeFrom.utc") }} as period_start_utc,
    {{ iso_to_utc("period.datetimeTo.utc") }} as period_end_utc,
    period.datetimeFrom.local as period_start_local,
    -- The hour as the period hub's ISO 8601 label (see models/vault/_periods.yml).
    strftime({{ iso_to_utc("period.datetimeFrom.utc") }}, '%Y-%m-%dT%H:%M:%SZ') as period,
    {{ clean_text("period.label") }} as period_label,
    {{ clean_text("period.interval") }} as period_interval,
    cast(parameter.id as integer) as parameter_id,
    {{ clean_text("parameter.name") }} as parameter_name,
    {{ clean_text("parameter.units") }} as units,
    cast(value as double) as value,
    cast(flagInfo.hasFlags as boolean) as has_flags,
    cast(coverage.percentComplete as double) as coverage_pct,
    {{ landing_columns() }}
from {{ source('openaq', 'measurements') }}
