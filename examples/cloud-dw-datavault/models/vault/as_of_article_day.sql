-- Snapshot times of pit_article_day: the newest load_ts of each day on which link_article_day or sat_article_views
-- gained a row (macros/pit_as_of.sql explains why, and why not `as_of: daily`).
{{ pit_as_of_change_days([ref('link_article_day'), ref('sat_article_views')]) }}
