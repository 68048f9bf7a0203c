-- Wikimedia pageviews: one row per article and period (a day here) per landed payload. The source reads
-- `timestamp` (YYYYMMDDHH, UTC) as a TIMESTAMP. The project is named as the API names it inside items
-- (en.wikipedia), which is what the hub keys on.
select
    {{ clean_key("project") }} as project,
    {{ clean_key("article") }} as article,
    period_start as period_start_utc,
    cast(period_start as date) as view_date,
    -- The day as the period hub's ISO 8601 label, 2025-01-01 (see models/vault/_periods.yml).
    {{ date_label("cast(period_start as date)") }} as period,
    {{ clean_text("granularity") }} as granularity,
    {{ clean_text("access") }} as access,
    {{ clean_text("agent") }} as agent,
    views,
    {{ landing_columns() }}
from {{ source('wikimedia', 'pageviews') }}
