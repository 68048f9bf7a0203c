-- Population and GDP per country and year, as of the newest snapshot of pit_country_indicator_year:
-- when World Bank revises a value in a later release, the satellite keeps both versions and this
-- mart shows the newest. `*_record_source` names the landed payload each number was loaded from
-- (`vaultline landing cat <it>` shows the bytes). NULL: not published (yet) for that year.
with pit_now as (
    select *
    from {{ ref('pit_country_indicator_year') }}
    where as_of_ts = {{ newest_snapshot(ref('pit_country_indicator_year')) }}
),

values_now as (
    select
        link.hk_country,
        hub_indicator.indicator_code,
        {{ period_label_to_year('hub_period.period') }} as year,
        sat.indicator_value,
        sat.load_ts,
        sat.record_source
    from pit_now as pit
    inner join {{ ref('link_country_indicator') }} as link
        on link.hk_country_indicator = pit.hk_country_indicator
    inner join {{ ref('hub_indicator') }} as hub_indicator
        on hub_indicator.hk_indicator = link.hk_indicator
    inner join {{ ref('hub_period') }} as hub_period
        on hub_period.hk_period = link.hk_period
    inner join {{ ref('sat_country_indicator_values') }} as sat
        on {{ pit_points_at('pit', 'sat', 'sat_country_indicator_values', 'hk_country_indicator') }}
    where sat.record_source <> 'vaultline.ghost'
),

country_names as (
    select hk_country, country_name, country_iso3
    from {{ latest_versions(ref('sat_country'), ['hk_country']) }} as latest
)

select
    hub_country.country_code,
    country_names.country_iso3,
    country_names.country_name,
    v.year,
    -- A count of people (as_count: NULL for a value that cannot be one, reported by a test).
    {{ as_count("max(case when v.indicator_code = 'SP.POP.TOTL' then v.indicator_value end)") }} as population,
    max(case when v.indicator_code = 'NY.GDP.MKTP.CD' then v.indicator_value end) as gdp_current_usd,
    max(case when v.indicator_code = 'NY.GDP.MKTP.CD' then v.indicator_value end)
        / nullif(max(case when v.indicator_code = 'SP.POP.TOTL' then v.indicator_value end), 0) as gdp_per_capita_usd,
    max(case when v.indicator_code = 'SP.POP.TOTL' then v.load_ts end) as population_loaded_at,
    max(case when v.indicator_code = 'SP.POP.TOTL' then v.record_source end) as population_record_source,
    max(case when v.indicator_code = 'NY.GDP.MKTP.CD' then v.record_source end) as gdp_record_source
from values_now as v
inner join {{ ref('hub_country') }} as hub_country
    on hub_country.hk_country = v.hk_country
left join country_names
    on country_names.hk_country = v.hk_country
group by hub_country.country_code, country_names.country_iso3, country_names.country_name, v.year
