-- Guard: sat_article_views keys a count by article and day only, so every landed count of one article
-- and day must be for the same access and agent (the example extracts all-access / all-agents). If a
-- connector configuration adds another (desktop, user, …), this fails before two different counts
-- start overwriting each other as "versions"; add access and agent to the key first.
select project, article, view_date, count(distinct access || '/' || agent) as access_agent_combinations
from {{ ref('stg_wikimedia__pageviews') }}
group by project, article, view_date
having count(distinct access || '/' || agent) > 1
