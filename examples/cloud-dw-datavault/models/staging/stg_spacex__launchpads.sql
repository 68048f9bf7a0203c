-- SpaceX launchpads: one row per launchpad per landed list.
select
    {{ clean_key("lower(id)") }} as launchpad_id,
    {{ clean_text("name") }} as launchpad_name,
    {{ clean_text("full_name") }} as launchpad_full_name,
    {{ clean_text("locality") }} as locality,
    {{ clean_text("region") }} as region,
    latitude,
    longitude,
    {{ clean_text("timezone") }} as timezone,
    {{ clean_text("status") }} as status,
    launch_attempts,
    launch_successes,
    {{ landing_columns() }}
from {{ source('spacex', 'launchpads') }}
