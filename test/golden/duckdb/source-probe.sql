WITH __vl_docs AS (SELECT json FROM read_json_objects(['/warehouse/raw/demo/items/load_date=2026-01-01/20260101T101500123Z_aaaaaaaaaaaaaaaa.json.gz'], format = 'unstructured', compression = 'gzip', maximum_object_size = 16777216)),
__vl_records AS (SELECT unnest(json_extract(json, '$.features[*]')) AS rec FROM __vl_docs)
SELECT (SELECT json_group_structure(rec) FROM __vl_records) AS structure,
  (SELECT count(*) FROM __vl_records) AS records,
  (SELECT count(*) FROM __vl_docs) AS documents,
  (SELECT count(*) FROM __vl_docs WHERE coalesce(json_type(json_extract(json, '$.features')), 'MISSING') <> 'ARRAY') AS missing;
