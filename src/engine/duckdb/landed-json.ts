import type { LandedFile, LandedJsonSql } from '../landed-json.ts';
import { duckdbDialect } from './dialect.ts';
import {
  finalizeStructure,
  isObjectStructure,
  mergeStructures,
  parseStructure,
  structureColumns,
  structureType,
} from './json-structure.ts';

/**
 * Landed payloads on DuckDB. `read_json_objects` reads each gzip document as one JSON value (no
 * schema guessing, so one odd file cannot change how the others are read); the records path is
 * applied with json_extract, and the records are typed with json_transform against a structure merged
 * from every object's own structure (probed once per object and cached by the run layer).
 */
const q = (name: string) => duckdbDialect.quoteIdentifier(name);
const lit = (value: string) => duckdbDialect.literal(value);

/** DuckDB's default maximum is 16 MB per JSON document; larger payloads need the option raised. */
const DEFAULT_MAX_OBJECT = 16 * 1024 * 1024;

function maxObjectSize(files: LandedFile[]): number {
  return Math.max(DEFAULT_MAX_OBJECT, ...files.map((f) => f.bytes + 1024));
}

/** `features[*]`, `$.features`, `[1][*]` → `$.features[*]`, `$[1][*]`: a path ending in `[*]`. */
export function normalizeRecordsPath(path: string): { records: string; container: string } {
  let p = path.trim();
  if (!p.startsWith('$')) p = p.startsWith('[') ? `$${p}` : `$.${p}`;
  if (!p.endsWith('[*]')) p = `${p}[*]`;
  return { records: p, container: p.slice(0, -3) };
}

function timestampLiteral(date: Date): string {
  return `TIMESTAMP '${date.toISOString().replace('T', ' ').replace('Z', '')}'`;
}

function readDocuments(files: LandedFile[], withFilename: boolean): string {
  const paths = files.map((f) => lit(f.path)).join(', ');
  return (
    `read_json_objects([${paths}], format = 'unstructured', compression = 'gzip'` +
    `${withFilename ? ', filename = true' : ''}, maximum_object_size = ${maxObjectSize(files)})`
  );
}

function recordsList(json: string, recordsPath: string | undefined): string {
  if (recordsPath === undefined) {
    return `CASE WHEN json_type(${json}) = 'ARRAY' THEN json_extract(${json}, '$[*]') ELSE [${json}] END`;
  }
  return `json_extract(${json}, ${lit(normalizeRecordsPath(recordsPath).records)})`;
}

function filesTable(files: LandedFile[]): string {
  const rows = files.map((f) => `(${lit(f.path)}, ${lit(f.key)}, ${timestampLiteral(f.loadTs)})`);
  return `(VALUES ${rows.join(',\n    ')}) AS __vl_files(path, _landing_key, _load_ts)`;
}

function metaColumns(recordSource: string): string {
  return `__vl_files._landing_key, __vl_files._load_ts, ${lit(recordSource)} AS _record_source`;
}

function emptyMeta(): string[] {
  return [
    'CAST(NULL AS VARCHAR) AS _landing_key',
    'CAST(NULL AS TIMESTAMP) AS _load_ts',
    'CAST(NULL AS VARCHAR) AS _record_source',
  ];
}

export const duckdbLandedJson: LandedJsonSql = {
  probe(file, recordsPath) {
    const missing =
      recordsPath === undefined
        ? '0'
        : `(SELECT count(*) FROM __vl_docs WHERE coalesce(json_type(json_extract(json, ${lit(normalizeRecordsPath(recordsPath).container)})), 'MISSING') <> 'ARRAY')`;
    return [
      `WITH __vl_docs AS (SELECT json FROM ${readDocuments([file], false)}),`,
      `__vl_records AS (SELECT unnest(${recordsList('json', recordsPath)}) AS rec FROM __vl_docs)`,
      'SELECT (SELECT json_group_structure(rec) FROM __vl_records) AS structure,',
      '  (SELECT count(*) FROM __vl_records) AS records,',
      '  (SELECT count(*) FROM __vl_docs) AS documents,',
      `  ${missing} AS missing`,
    ].join('\n');
  },

  mergeStructures(a, b) {
    return JSON.stringify(mergeStructures(parseStructure(a), parseStructure(b)));
  },

  records({ files, recordsPath, recordSource, structure, fallbackColumns }) {
    const final = structure === null ? null : finalizeStructure(parseStructure(structure));
    if (files.length === 0 || final === null) {
      const columns =
        final === null
          ? fallbackColumns.map((c) => `CAST(NULL AS ${c.dataType ?? 'VARCHAR'}) AS ${q(c.name)}`)
          : structureColumns(final).map(
              (c) => `CAST(NULL AS ${structureType(c.structure, q)}) AS ${q(c.name)}`,
            );
      return `SELECT ${[...emptyMeta(), ...columns].join(', ')}\nLIMIT 0`;
    }
    const fields = isObjectStructure(final)
      ? structureColumns(final).map((c) => `struct_extract(__vl_record, ${lit(c.name)}) AS ${q(c.name)}`)
      : ['__vl_record AS "value"'];
    return [
      `SELECT _landing_key, _load_ts, _record_source,\n  ${fields.join(',\n  ')}`,
      'FROM (',
      `  SELECT ${metaColumns(recordSource)}, json_transform(__vl_rec.rec, ${lit(JSON.stringify(final))}) AS __vl_record`,
      `  FROM ${readDocuments(files, true)} AS __vl_docs`,
      `  JOIN ${filesTable(files)}`,
      '    ON __vl_docs.filename = __vl_files.path',
      `  CROSS JOIN unnest(${recordsList('__vl_docs.json', recordsPath)}) AS __vl_rec(rec)`,
      ') AS __vl_source',
    ].join('\n');
  },

  payloads({ files, recordSource }) {
    if (files.length === 0)
      return `SELECT ${['CAST(NULL AS JSON) AS json', ...emptyMeta()].join(', ')}\nLIMIT 0`;
    return [
      `SELECT __vl_docs.json, ${metaColumns(recordSource)}`,
      `FROM ${readDocuments(files, true)} AS __vl_docs`,
      `JOIN ${filesTable(files)}`,
      '  ON __vl_docs.filename = __vl_files.path',
    ].join('\n');
  },
};
