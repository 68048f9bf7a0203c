-- Reconciliation: population_by_country_year reads values through pit_country_indicator_year; the
-- newest version of each value read straight from the satellite (by release date: the satellite's
-- effective_from, then load time) must be the same number. A difference
-- means the PIT lags behind the satellite or points at the wrong version.
with newest as (
    select link.hk_country, {{ period_label_to_year('hub_period.period') }} as year, sat.indicator_value
    from {{ latest_versions(ref('sat_country_indicator_values'), ['hk_country_indicator'], effective_from=true) }} as sat
    inner join {{ ref('link_country_indicator') }} as link
        on link.hk_country_indicator = sat.hk_country_indicator
    inner join {{ ref('hub_indicator') }} as hub_indicator
        on hub_indicator.hk_indicator = link.hk_indicator
    inner join {{ ref('hub_period') }} as hub_period
        on hub_period.hk_period = link.hk_period
    where hub_indicator.indicator_code = 'SP.POP.TOTL'
)

select hub_country.country_code, newest.year, newest.indicator_value as newest_version, mart.population
from newest
inner join {{ ref('hub_country') }} as hub_country
    on hub_country.hk_country = newest.hk_country
left join {{ ref('population_by_country_year') }} as mart
    on mart.country_code = hub_country.country_code
    and mart.year = newest.year
where mart.country_code is null
    or coalesce({{ as_count('newest.indicator_value') }}, -1) <> coalesce(mart.population, -1)
