json_transform(_record, '{"id":"BIGINT","name":"VARCHAR","tags":["VARCHAR"],"dims":{"w":"DOUBLE","unit":"JSON"}}'),
struct_extract(__vl_record, 'id') AS "id",
struct_extract(__vl_record, 'name') AS "name",
struct_extract(__vl_record, 'tags') AS "tags",
struct_extract(__vl_record, 'dims') AS "dims";
