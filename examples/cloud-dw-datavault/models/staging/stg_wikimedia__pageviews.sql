-- Wikimedia pageviews: one row per article and period (a day here) per landed payload.
-- `timestamp` is YYYYMMDDHH in UTC. The project is named as the API names it inside items
-- (en.wikipedia), which is what the hub keys on.
select
    {{ clean_key("project") }} as project,
    {{ clean_key("article") }} as article,
    cast(strptime(timestamp, '%Y%m%d%H') as timestamp) as period_start_utc,
    cast(strptime(timestamp, '%Y%m%d%H') as date) as view_date,
    -- The day as the period hub's ISO 8601 label (see models/vault/_periods.yml).
    strftime(strptime(timestamp, '%Y%m%d%H'), '%Y-%m-%d') as period,
    {{ clean_text("granularity") }} as granularity,
    {{ clean_text("access") }} as access,
    {{ clean_text("agent") }} as agent,
    cast(views as bigint) as views,
    {{ landing_columns() }}
from {{ source('wikimedia', 'pageviews') }}
