import { duckdbLandedJson } from '../duckdb/landed-json.ts';
import type { LandedJsonSql } from '../landed-json.ts';
import { postgresDialect } from './dialect.ts';
import {
  columnType,
  hasFieldColumns,
  type InferredType,
  mergeStructures,
  parseStructure,
} from './json-structure.ts';

/**
 * The records layer's JSON SQL on PostgreSQL. `_record` is `json` (the exact text, dialect.ts), so
 * json_object_keys lists an object's keys in the order they were written — jsonb would sort them —
 * and json_typeof tells the kinds; the structure is json-structure.ts's. The view of a source without
 * a contract reads each record once as jsonb (`__vl_record`: one parse per row, then cheap lookups)
 * and takes each top-level field with `->>` cast to its type (a JSON null is NULL), or `->` as jsonb
 * for nested values.
 *
 * Compacted months are Parquet files, which a database server cannot read: `compactedRows` and
 * `compactedPayload` are DuckDB SQL, to run on the engine's scratch session (`engine.openScratch`,
 * a local DuckDB file), not on the warehouse. The run layer (src/run/sources/compacted.ts, ingest.ts)
 * runs them on the warehouse session today, which works on DuckDB only; see the PostgreSQL CONTEXT.md.
 */

const q = (name: string) => postgresDialect.quoteIdentifier(name);
const lit = (value: string) => postgresDialect.literal(value);

/** The kind (json-structure.ts) of a json value `value`, given its json_typeof `type`. */
function kindOf(value: string, type: string): string {
  const text = `(${value} #>> '{}')`;
  return `CASE ${type}
      WHEN 'number' THEN CASE
        WHEN ${text} !~ '^-?[0-9]+$' THEN 'double'
        WHEN length(${text}) <= 18 OR ${text}::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN 'bigint'
        ELSE 'numeric' END
      WHEN 'string' THEN 'string'
      WHEN 'boolean' THEN 'boolean'
      WHEN 'object' THEN 'object'
      WHEN 'array' THEN 'array'
      ELSE 'null' END`;
}

/** A typed value out of the jsonb `value` (the whole record with path `{}`, or a field). */
function typedValue(record: string, path: string | undefined, type: InferredType): string {
  if (type === 'jsonb') {
    const value = path === undefined ? record : `${record} -> ${lit(path)}`;
    return `NULLIF(${value}, 'null'::jsonb)`;
  }
  const text = path === undefined ? `${record} #>> '{}'` : `${record} ->> ${lit(path)}`;
  return type === 'text' ? `(${text})` : `CAST(${text} AS ${type})`;
}

export const postgresLandedJson: LandedJsonSql = {
  recordsStructure(relation, ingestSeq) {
    return [
      'WITH __vl_r AS (',
      `  SELECT _record_index AS i, _record AS rec, json_typeof(_record) AS t FROM ${relation} WHERE _ingest_seq = ${Math.trunc(ingestSeq)}`,
      '), __vl_f AS (',
      `  SELECT r.i, k.ord, k.key, ${kindOf('(r.rec -> k.key)', 'json_typeof(r.rec -> k.key)')} AS kind`,
      '  FROM __vl_r AS r',
      "  CROSS JOIN LATERAL json_object_keys(CASE WHEN r.t = 'object' THEN r.rec ELSE '{}'::json END) WITH ORDINALITY AS k(key, ord)",
      '), __vl_g AS (',
      '  SELECT key, array_agg(DISTINCT kind ORDER BY kind) AS kinds, min(ARRAY[i::bigint, ord]) AS first',
      '  FROM __vl_f GROUP BY key',
      ')',
      'SELECT json_build_object(',
      `  'record', (SELECT coalesce(json_agg(DISTINCT ${kindOf('rec', 't')}), '[]'::json) FROM __vl_r),`,
      "  'fields', (SELECT coalesce(json_agg(json_build_array(key, kinds) ORDER BY first), '[]'::json) FROM __vl_g)",
      ')::text AS structure',
    ].join('\n');
  },

  mergeStructures(a, b) {
    return JSON.stringify(mergeStructures(parseStructure(a), parseStructure(b)));
  },

  inferredColumns(structure, fallbackColumns) {
    if (structure === null) {
      return { columns: fallbackColumns.map((c) => `CAST(NULL AS text) AS ${q(c.name)}`) };
    }
    const parsed = parseStructure(structure);
    const record = 'CAST(_record AS jsonb)';
    if (!hasFieldColumns(parsed)) {
      return {
        record,
        columns: [`${typedValue('__vl_record', undefined, columnType(parsed.record))} AS "value"`],
      };
    }
    return {
      record,
      columns: parsed.fields.map(
        ([name, kinds]) => `${typedValue('__vl_record', name, columnType(kinds))} AS ${q(name)}`,
      ),
    };
  },

  compactedRows: duckdbLandedJson.compactedRows,
  compactedPayload: duckdbLandedJson.compactedPayload,
};
