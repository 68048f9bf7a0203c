SELECT payload FROM read_parquet('/p/it''s.parquet') WHERE _landing_key = 'k''1';
