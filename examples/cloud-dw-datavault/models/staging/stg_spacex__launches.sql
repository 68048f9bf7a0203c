-- SpaceX launches: one row per launch per landed list. `success` is NULL for upcoming launches;
-- `date_precision` says how much of date_utc to believe (hour, day, month, quarter, half, year).
select
    {{ clean_key("lower(id)") }} as launch_id,
    {{ clean_key("lower(rocket)") }} as rocket_id,
    {{ clean_key("lower(launchpad)") }} as launchpad_id,
    {{ clean_text("name") }} as launch_name,
    cast(flight_number as integer) as flight_number,
    {{ iso_to_utc("date_utc") }} as launched_at_utc,
    {{ clean_text("date_precision") }} as date_precision,
    cast(success as boolean) as is_success,
    cast(upcoming as boolean) as is_upcoming,
    {{ clean_text("details") }} as details,
    -- Failure reasons in flight order, one text ("merlin engine failure; …"), NULL when none. Read
    -- through JSON: while every landed launch has `failures: []`, the column is a list of JSON.
    nullif(array_to_string(json_extract_string(to_json(failures), '$[*].reason'), '; '), '') as failure_reasons,
    {{ landing_columns() }}
from {{ source('spacex', 'launches') }}
