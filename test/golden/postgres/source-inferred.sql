CAST(_record AS jsonb),
CAST(__vl_record ->> 'id' AS bigint) AS "id",
(__vl_record ->> 'name') AS "name",
NULLIF(__vl_record -> 'tags', 'null'::jsonb) AS "tags",
NULLIF(__vl_record -> 'dims', 'null'::jsonb) AS "dims";
