-- SpaceX rockets: one row per rocket per landed list.
select
    {{ clean_key("lower(id)") }} as rocket_id,
    {{ clean_text("name") }} as rocket_name,
    {{ clean_text("type") }} as rocket_type,
    cast(active as boolean) as is_active,
    try_cast(first_flight as date) as first_flight_date,
    cast(stages as integer) as stages,
    cast(cost_per_launch as bigint) as cost_per_launch_usd,
    cast(success_rate_pct as double) as success_rate_pct,
    {{ clean_text("country") }} as country,
    {{ clean_text("company") }} as company,
    {{ landing_columns() }}
from {{ source('spacex', 'rockets') }}
