WITH __vl_r AS (
  SELECT _record_index AS i, _record AS rec, json_typeof(_record) AS t FROM "vaultline_raw"."demo__items__g1" WHERE _ingest_seq = 7
), __vl_f AS (
  SELECT r.i, k.ord, k.key, CASE json_typeof(r.rec -> k.key)
      WHEN 'number' THEN CASE
        WHEN ((r.rec -> k.key) #>> '{}') !~ '^-?[0-9]+$' THEN 'double'
        WHEN length(((r.rec -> k.key) #>> '{}')) <= 18 OR ((r.rec -> k.key) #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN 'bigint'
        ELSE 'numeric' END
      WHEN 'string' THEN 'string'
      WHEN 'boolean' THEN 'boolean'
      WHEN 'object' THEN 'object'
      WHEN 'array' THEN 'array'
      ELSE 'null' END AS kind
  FROM __vl_r AS r
  CROSS JOIN LATERAL json_object_keys(CASE WHEN r.t = 'object' THEN r.rec ELSE '{}'::json END) WITH ORDINALITY AS k(key, ord)
), __vl_g AS (
  SELECT key, array_agg(DISTINCT kind ORDER BY kind) AS kinds, min(ARRAY[i::bigint, ord]) AS first
  FROM __vl_f GROUP BY key
)
SELECT json_build_object(
  'record', (SELECT coalesce(json_agg(DISTINCT CASE t
      WHEN 'number' THEN CASE
        WHEN (rec #>> '{}') !~ '^-?[0-9]+$' THEN 'double'
        WHEN length((rec #>> '{}')) <= 18 OR (rec #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN 'bigint'
        ELSE 'numeric' END
      WHEN 'string' THEN 'string'
      WHEN 'boolean' THEN 'boolean'
      WHEN 'object' THEN 'object'
      WHEN 'array' THEN 'array'
      ELSE 'null' END), '[]'::json) FROM __vl_r),
  'fields', (SELECT coalesce(json_agg(json_build_array(key, kinds) ORDER BY first), '[]'::json) FROM __vl_g)
)::text AS structure;
