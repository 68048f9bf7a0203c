import type { LandedJsonSql } from '../landed-json.ts';
import { duckdbDialect } from './dialect.ts';
import {
  finalizeStructure,
  isObjectStructure,
  mergeStructures,
  parseStructure,
  structureColumns,
} from './json-structure.ts';

/**
 * The records layer's JSON SQL on DuckDB. Records arrive as `_record` JSON text in raw tables; for a
 * source without a declared contract, its columns are `json_transform(_record, <structure>)` against a
 * structure merged from every object's own structure (found once per object at read time and kept in
 * vaultline_meta.raw_objects), so one odd payload cannot change how the others are read.
 */
const q = (name: string) => duckdbDialect.quoteIdentifier(name);
const lit = (value: string) => duckdbDialect.literal(value);

/**
 * `json_group_structure(rec)` in record order. json_group_structure is a macro over an unordered
 * string_agg, and the order of first appearance decides the order of an object's keys in the
 * structure (and so of the source's columns): spelled out here with an ORDER BY, the structure of a
 * payload is the same however and wherever it is read.
 */
function orderedStructure(rec: string, order: string): string {
  return `json_structure(CAST('[' || string_agg(CASE WHEN ${rec} IS NULL THEN CAST('null' AS JSON) ELSE ${rec} END, ',' ORDER BY ${order}) || ']' AS JSON)) -> 0`;
}

export const duckdbLandedJson: LandedJsonSql = {
  recordsStructure(relation, ingestSeq) {
    return `SELECT CAST(${orderedStructure('_record', '_record_index')} AS VARCHAR) AS structure FROM ${relation} WHERE _ingest_seq = ${ingestSeq}`;
  },

  mergeStructures(a, b) {
    return JSON.stringify(mergeStructures(parseStructure(a), parseStructure(b)));
  },

  inferredColumns(structure, fallbackColumns) {
    const final = structure === null ? null : finalizeStructure(parseStructure(structure));
    if (final === null) {
      return { columns: fallbackColumns.map((c) => `CAST(NULL AS VARCHAR) AS ${q(c.name)}`) };
    }
    const typed = `json_transform(_record, ${lit(JSON.stringify(final))})`;
    if (!isObjectStructure(final)) return { record: typed, columns: ['__vl_record AS "value"'] };
    return {
      record: typed,
      columns: structureColumns(final).map(
        (c) => `struct_extract(__vl_record, ${lit(c.name)}) AS ${q(c.name)}`,
      ),
    };
  },

  compactedRows(path) {
    return `SELECT _landing_key AS key, sha256 FROM read_parquet(${lit(path)})`;
  },

  compactedPayload(path, key) {
    return `SELECT payload FROM read_parquet(${lit(path)}) WHERE _landing_key = ${lit(key)}`;
  },
};
