-- Anomaly: a magnitude outside magnitude_min..magnitude_max (vaultline.yml vars, −2..10: the smallest
-- events recorded are around −1, the largest ever 9.5) in any landed USGS event. The bounds reach the
-- SQL through `| sql_literal` (quoted by the engine), never pasted in as text.
select earthquake_id, magnitude, magnitude_type, updated_at_utc, _landing_key
from {{ ref('stg_usgs__earthquakes') }}
where magnitude < {{ var('magnitude_min', -2) | sql_literal }}
    or magnitude > {{ var('magnitude_max', 10) | sql_literal }}
