-- SpaceX rockets: one row per rocket per landed list.
select
    {{ clean_key("lower(id)") }} as rocket_id,
    {{ clean_text("name") }} as rocket_name,
    {{ clean_text("type") }} as rocket_type,
    active as is_active,
    first_flight as first_flight_date,
    stages,
    cost_per_launch as cost_per_launch_usd,
    success_rate_pct,
    {{ clean_text("country") }} as country,
    {{ clean_text("company") }} as company,
    {{ landing_columns() }}
from {{ source('spacex', 'rockets') }}
