CAST(NULL AS text) AS "id",
CAST(NULL AS text) AS "name";
