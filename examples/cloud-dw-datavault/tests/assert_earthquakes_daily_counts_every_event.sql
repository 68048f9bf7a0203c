-- Reconciliation: in the newest snapshot, earthquakes_daily counts every earthquake the vault knows
-- (newest version per event, type earthquake, not deleted) exactly once, on its UTC day.
with known as (
    select cast(event_time_utc as date) as event_date, count(*) as quakes
    from {{ latest_versions(ref('sat_earthquake'), ['hk_earthquake'], effective_from=true) }} as latest
    where event_type = 'earthquake'
        and coalesce(status, '') <> 'deleted'
    group by cast(event_time_utc as date)
),

mart as (
    select event_date, quake_count
    from {{ ref('earthquakes_daily') }}
    where is_latest_snapshot
)

select coalesce(known.event_date, mart.event_date) as event_date, known.quakes as in_vault, mart.quake_count as in_mart
from known
full outer join mart
    on mart.event_date = known.event_date
where known.quakes is distinct from mart.quake_count
