-- OpenAQ measurements: one row per sensor and measurement period per landed page. The body does not
-- name its sensor; the request URL does (…/v3/sensors/{id}/measurements?…), and the source relation
-- carries it as _request_url. period.datetimeFrom is {utc, local}: the UTC time is the key, the local
-- text (with its offset) is kept as landed.
select
    {{ clean_key("split_part(split_part(_request_url, '/sensors/', 2), '/', 1)") }} as sensor_id,
    period_from_utc as period_start_utc,
    period_to_utc as period_end_utc,
    period_from_local as period_start_local,
    -- The hour as the period hub's ISO 8601 label, 2025-01-14T05:00:00Z (see models/vault/_periods.yml).
    {{ utc_hour_label("period_from_utc") }} as period,
    {{ clean_text("period_label") }} as period_label,
    {{ clean_text("period_interval") }} as period_interval,
    parameter_id,
    {{ clean_text("parameter_name") }} as parameter_name,
    {{ clean_text("parameter_units") }} as units,
    value,
    has_flags,
    coverage_pct,
    {{ landing_columns() }}
from {{ source('openaq', 'measurements') }}
