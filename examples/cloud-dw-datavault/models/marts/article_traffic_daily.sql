-- Daily views per article, as of the newest snapshot of pit_article_day (a count Wikimedia restates
-- shows its newest version). A day Wikimedia has no item for has no row: no views were recorded, and
-- the mart does not invent a zero.
with pit_now as (
    select *
    from {{ ref('pit_article_day') }}
    where as_of_ts = {{ newest_snapshot(ref('pit_article_day')) }}
)

select
    hub_article.project,
    hub_article.article,
    {{ period_label_to_date('hub_period.period') }} as view_date,
    sat.views,
    sat.access,
    sat.agent,
    sat.load_ts as loaded_at,
    sat.record_source
from pit_now as pit
inner join {{ ref('link_article_day') }} as link
    on link.hk_article_day = pit.hk_article_day
inner join {{ ref('hub_article') }} as hub_article
    on hub_article.hk_article = link.hk_article
inner join {{ ref('hub_period') }} as hub_period
    on hub_period.hk_period = link.hk_period
inner join {{ ref('sat_article_views') }} as sat
    on {{ pit_points_at('pit', 'sat', 'sat_article_views', 'hk_article_day') }}
where sat.record_source <> 'vaultline.ghost'
