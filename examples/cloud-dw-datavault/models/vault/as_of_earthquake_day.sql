-- Snapshot times of pit_earthquake_day: the newest load_ts of each day on which hub_earthquake or sat_earthquake
-- gained a row (macros/pit_as_of.sql explains why, and why not `as_of: daily`).
{{ pit_as_of_change_days([ref('hub_earthquake'), ref('sat_earthquake')]) }}
