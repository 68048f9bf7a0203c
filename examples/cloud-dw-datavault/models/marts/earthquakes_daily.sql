-- Earthquakes per day, as known on each snapshot day. Grain: snapshot_date × event_date (UTC).
-- Read through pit_earthquake_day, so a magnitude USGS revises shows in the snapshots from the day the
-- revision was loaded on, while earlier snapshot days keep the magnitude known then. Days between
-- snapshots carry the newest earlier snapshot forward (nothing changed on them). Dashboards that want
-- "now" filter on is_latest_snapshot. Counts earthquakes only (not quarry blasts, explosions, …) and
-- leaves out events USGS marked deleted.
with snapshots as (
    -- The newest snapshot of each day that has one.
    select cast(as_of_ts as date) as snapshot_date, max(as_of_ts) as as_of_ts
    from {{ ref('pit_earthquake_day') }}
    group by cast(as_of_ts as date)
),

calendar as (
    -- Bounds as timestamps: PostgreSQL has no generate_series over dates (it would pick timestamptz,
    -- in the session's time zone); `interval '1 day'` is the spelling both engines read.
    select cast(day as date) as snapshot_date
    from generate_series(
        cast((select min(snapshot_date) from snapshots) as timestamp),
        cast((select max(snapshot_date) from snapshots) as timestamp),
        interval '1 day'
    ) as days(day)
),

day_snapshots as (
    -- Every calendar day with the newest snapshot at or before it.
    select
        calendar.snapshot_date,
        max(snapshots.as_of_ts) over (order by calendar.snapshot_date rows between unbounded preceding and current row) as as_of_ts
    from calendar
    left join snapshots on snapshots.snapshot_date = calendar.snapshot_date
),

events as (
    select
        day_snapshots.snapshot_date,
        day_snapshots.as_of_ts,
        sat.hk_earthquake,
        sat.magnitude,
        cast(sat.event_time_utc as date) as event_date
    from day_snapshots
    inner join {{ ref('pit_earthquake_day') }} as pit
        on pit.as_of_ts = day_snapshots.as_of_ts
    inner join {{ ref('sat_earthquake') }} as sat
        on {{ pit_points_at('pit', 'sat', 'sat_earthquake', 'hk_earthquake') }}
    where sat.record_source <> 'vaultline.ghost'
        and sat.event_type = 'earthquake'
        and coalesce(sat.status, '') <> 'deleted'
)

select
    snapshot_date,
    event_date,
    count(*) as quake_count,
    max(magnitude) as max_magnitude,
    as_of_ts,
    snapshot_date = (select max(snapshot_date) from calendar) as is_latest_snapshot
from events
group by snapshot_date, event_date, as_of_ts
