-- Snapshot times of pit_country_indicator_year: the newest load_ts of each day on which link_country_indicator or sat_country_indicator_values
-- gained a row (macros/pit_as_of.sql explains why, and why not `as_of: daily`).
{{ pit_as_of_change_days([ref('link_country_indicator'), ref('sat_country_indicator_values')]) }}
