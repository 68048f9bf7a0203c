DELETE FROM "vaultline_meta"."load_audit" WHERE model_unique_id = 'model.p.stg_items';

INSERT INTO "vaultline_meta"."load_audit" ("model_unique_id", "source_unique_id", "landing_key", "sha256", "load_ts", "loaded_at", "run_id", "row_count", "status", "message") VALUES
  ('model.p.stg_items', 'source.p.demo.items', 'demo/items/a.json.gz', 'abababababababababababababababababababababababababababababababab', TIMESTAMP '2026-01-01 00:00:00.000', TIMESTAMP '2026-01-03 00:00:00.000', 'run-1', 3, 'loaded', NULL),
  ('model.p.stg_items', 'source.p.demo.items', 'demo/items/b''.json.gz', 'cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd', TIMESTAMP '2026-01-02 00:00:00.000', TIMESTAMP '2026-01-03 00:00:00.000', 'run-1', 0, 'skipped', 'does not parse');
