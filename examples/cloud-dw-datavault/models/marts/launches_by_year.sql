-- SpaceX launches per year and rocket, from the newest version of each launch and rocket:
-- launches, successes, failures and upcoming ones (year of date_utc, which for upcoming launches may
-- be only as precise as date_precision says).
with launches as (
    select *
    from {{ latest_versions(ref('sat_launch'), ['hk_launch']) }} as latest
),

rockets as (
    select hk_rocket, rocket_name
    from {{ latest_versions(ref('sat_rocket'), ['hk_rocket']) }} as latest
)

select
    cast(extract(year from launches.launched_at_utc) as integer) as launch_year,
    coalesce(rockets.rocket_name, hub_rocket.rocket_id) as rocket_name,
    count(*) as launches,
    count(case when launches.is_success then 1 end) as successes,
    count(case when launches.is_success = false then 1 end) as failures,
    count(case when launches.is_upcoming then 1 end) as upcoming
from launches
inner join {{ ref('link_launch_rocket') }} as link
    on link.hk_launch = launches.hk_launch
inner join {{ ref('hub_rocket') }} as hub_rocket
    on hub_rocket.hk_rocket = link.hk_rocket
left join rockets
    on rockets.hk_rocket = link.hk_rocket
group by
    cast(extract(year from launches.launched_at_utc) as integer),
    coalesce(rockets.rocket_name, hub_rocket.rocket_id)
