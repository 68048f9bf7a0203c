-- SpaceX launches: one row per launch per landed list. `success` is NULL for upcoming launches;
-- `date_precision` says how much of date_utc to believe (hour, day, month, quarter, half, year). The
-- rocket and launchpad ids come from a plain id or a populated object alike (the source contract).
select
    {{ clean_key("lower(id)") }} as launch_id,
    {{ clean_key("lower(rocket)") }} as rocket_id,
    {{ clean_key("lower(launchpad)") }} as launchpad_id,
    {{ clean_text("name") }} as launch_name,
    flight_number,
    date_utc as launched_at_utc,
    {{ clean_text("date_precision") }} as date_precision,
    success as is_success,
    upcoming as is_upcoming,
    {{ clean_text("details") }} as details,
    -- Failure reasons in flight order, one text ("merlin engine failure; …"), NULL when none.
    {{ json_array_join("failures", "reason", "; ") }} as failure_reasons,
    {{ landing_columns() }}
from {{ source('spacex', 'launches') }}
