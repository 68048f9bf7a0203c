SELECT __vl_docs.json, __vl_docs._landing_key, __vl_docs._load_ts, 'demo/items' AS _record_source
FROM (
SELECT __vl_json.json, __vl_files._landing_key, __vl_files._load_ts
FROM read_json_objects(['/warehouse/raw/demo/items/load_date=2026-01-01/20260101T101500123Z_aaaaaaaaaaaaaaaa.json.gz', '/warehouse/raw/demo/items/load_date=2026-01-02/20260102T101500123Z_bbbbbbbbbbbbbbbb.json.gz'], format = 'unstructured', compression = 'gzip', filename = true, maximum_object_size = 16777216) AS __vl_json
JOIN (VALUES ('/warehouse/raw/demo/items/load_date=2026-01-01/20260101T101500123Z_aaaaaaaaaaaaaaaa.json.gz', 'demo/items/load_date=2026-01-01/20260101T101500123Z_aaaaaaaaaaaaaaaa.json.gz', TIMESTAMP '2026-01-01 10:15:00.123'),
    ('/warehouse/raw/demo/items/load_date=2026-01-02/20260102T101500123Z_bbbbbbbbbbbbbbbb.json.gz', 'demo/items/load_date=2026-01-02/20260102T101500123Z_bbbbbbbbbbbbbbbb.json.gz', TIMESTAMP '2026-01-02 10:15:00.123')) AS __vl_files(path, _landing_key, _load_ts)
  ON __vl_json.filename = __vl_files.path
) AS __vl_docs;
