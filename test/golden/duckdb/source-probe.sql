WITH __vl_docs AS (SELECT row_number() OVER () AS __vl_doc, json FROM read_json_objects(['/warehouse/raw/demo/items/load_date=2026-01-01/20260101T101500123Z_aaaaaaaaaaaaaaaa.json.gz'], format = 'unstructured', compression = 'gzip', maximum_object_size = 16777216)),
__vl_records AS (SELECT __vl_docs.__vl_doc, __vl_rec.i, __vl_rec.rec FROM __vl_docs, unnest(json_extract(__vl_docs.json, '$.features[*]')) WITH ORDINALITY AS __vl_rec(rec, i))
SELECT (SELECT json_structure(CAST('[' || string_agg(CASE WHEN rec IS NULL THEN CAST('null' AS JSON) ELSE to_json(rec) END, ',' ORDER BY __vl_doc, i) || ']' AS JSON)) -> 0 FROM __vl_records) AS structure,
  (SELECT count(*) FROM __vl_records) AS records,
  (SELECT count(*) FROM __vl_docs) AS documents,
  (SELECT count(*) FROM __vl_docs WHERE coalesce(json_type(json_extract(json, '$.features')), 'MISSING') <> 'ARRAY') AS missing;
