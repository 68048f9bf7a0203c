-- Anomaly: a magnitude outside −2..10 in any landed USGS event (the smallest events recorded are
-- around −1, the largest ever 9.5).
select earthquake_id, magnitude, magnitude_type, updated_at_utc, _landing_key
from {{ ref('stg_usgs__earthquakes') }}
where magnitude < -2
    or magnitude > 10
