import type { LandedFile, LandedJsonSql } from '../landed-json.ts';
import { compactedDocument } from './compacted-document.ts';
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
 *
 * Objects of compacted months may instead be rows of a Parquet file (`format: 'parquet'`): their
 * document is `compactedDocument(payload)`, which compaction has checked gives exactly the document
 * read_json_objects gives for the gzip body. Both kinds meet in one documents relation (`__vl_docs`:
 * json, _landing_key, _load_ts) and everything after it — records path, typing, probing — is shared.
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

function isParquet(file: LandedFile): boolean {
  return file.format === 'parquet';
}

/**
 * Every document of `files` with the object it came from: `json`, `_landing_key`, `_load_ts`. A
 * compacted object is matched on both its file and its key, so a key that two compactions wrote
 * (two processes compacting one month at once) is read from the one file the run layer chose.
 */
function documents(files: LandedFile[]): string {
  const parts: string[] = [];
  const gzip = files.filter((f) => !isParquet(f));
  if (gzip.length > 0) {
    parts.push(
      [
        'SELECT __vl_json.json, __vl_files._landing_key, __vl_files._load_ts',
        `FROM ${readDocuments(gzip, true)} AS __vl_json`,
        `JOIN ${filesTable(gzip)}`,
        '  ON __vl_json.filename = __vl_files.path',
      ].join('\n'),
    );
  }
  const parquet = files.filter(isParquet);
  if (parquet.length > 0) {
    const paths = [...new Set(parquet.map((f) => f.path))].map(lit).join(', ');
    parts.push(
      [
        `SELECT ${compactedDocument('__vl_rows.payload')} AS json, __vl_files._landing_key, __vl_files._load_ts`,
        `FROM read_parquet([${paths}], filename = true) AS __vl_rows`,
        `JOIN ${filesTable(parquet)}`,
        '  ON __vl_rows.filename = __vl_files.path AND __vl_rows._landing_key = __vl_files._landing_key',
      ].join('\n'),
    );
  }
  return parts.join('\nUNION ALL\n');
}

function metaColumns(recordSource: string): string {
  return `__vl_docs._landing_key, __vl_docs._load_ts, ${lit(recordSource)} AS _record_source`;
}

function emptyMeta(): string[] {
  return [
    'CAST(NULL AS VARCHAR) AS _landing_key',
    'CAST(NULL AS TIMESTAMP) AS _load_ts',
    'CAST(NULL AS VARCHAR) AS _record_source',
  ];
}

/**
 * `json_group_structure(rec)` in record order. json_group_structure is a macro over an unordered
 * string_agg, and the order of first appearance decides the order of an object's keys in the
 * structure (and so of the source's columns): spelled out here with an ORDER BY, the structure of a
 * payload is the same however and wherever it is read.
 */
function orderedStructure(rec: string, order: string): string {
  return `json_structure(CAST('[' || string_agg(CASE WHEN ${rec} IS NULL THEN CAST('null' AS JSON) ELSE to_json(${rec}) END, ',' ORDER BY ${order}) || ']' AS JSON)) -> 0`;
}

function missingCondition(json: string, recordsPath: string | undefined): string | undefined {
  if (recordsPath === undefined) return undefined;
  return `coalesce(json_type(json_extract(${json}, ${lit(normalizeRecordsPath(recordsPath).container)})), 'MISSING') <> 'ARRAY'`;
}

/** Records of `__vl_docs` (with `__vl_doc`, the document's position) with their position. */
function recordsCte(recordsPath: string | undefined, keyColumn: string): string {
  return `__vl_records AS (SELECT ${keyColumn}__vl_docs.__vl_doc, __vl_rec.i, __vl_rec.rec FROM __vl_docs, unnest(${recordsList('__vl_docs.json', recordsPath)}) WITH ORDINALITY AS __vl_rec(rec, i))`;
}

export const duckdbLandedJson: LandedJsonSql = {
  probe(file, recordsPath) {
    const missing = missingCondition('json', recordsPath);
    // row_number over one file's scan is its document order (one file is read by one thread).
    const docs = `SELECT row_number() OVER () AS __vl_doc, json FROM ${readDocuments([file], false)}`;
    return [
      `WITH __vl_docs AS (${docs}),`,
      recordsCte(recordsPath, ''),
      `SELECT (SELECT ${orderedStructure('rec', '__vl_doc, i')} FROM __vl_records) AS structure,`,
      '  (SELECT count(*) FROM __vl_records) AS records,',
      '  (SELECT count(*) FROM __vl_docs) AS documents,',
      `  ${missing === undefined ? '0' : `(SELECT count(*) FROM __vl_docs WHERE ${missing})`} AS missing`,
    ].join('\n');
  },

  probeCompacted({ path, keys }, recordsPath) {
    const missing = missingCondition('json', recordsPath);
    return [
      `WITH __vl_docs AS (SELECT _landing_key AS __vl_key, 1 AS __vl_doc, ${compactedDocument('payload')} AS json`,
      `  FROM read_parquet(${lit(path)}) WHERE _landing_key IN (${keys.map(lit).join(', ')})),`,
      `${recordsCte(recordsPath, '__vl_docs.__vl_key, ')},`,
      `__vl_stats AS (SELECT __vl_key, ${orderedStructure('rec', '__vl_doc, i')} AS structure, count(*) AS records`,
      '  FROM __vl_records GROUP BY __vl_key)',
      'SELECT __vl_docs.__vl_key AS key, any_value(__vl_stats.structure) AS structure,',
      '  coalesce(any_value(__vl_stats.records), 0) AS records, count(*) AS documents,',
      `  ${missing === undefined ? '0' : `count(*) FILTER (WHERE ${missing})`} AS missing`,
      'FROM __vl_docs LEFT JOIN __vl_stats ON __vl_stats.__vl_key = __vl_docs.__vl_key',
      'GROUP BY __vl_docs.__vl_key',
    ].join('\n');
  },

  compactedRows(path) {
    return `SELECT _landing_key AS key, sha256 FROM read_parquet(${lit(path)})`;
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
      `  FROM (\n${documents(files)}\n  ) AS __vl_docs`,
      `  CROSS JOIN unnest(${recordsList('__vl_docs.json', recordsPath)}) AS __vl_rec(rec)`,
      ') AS __vl_source',
    ].join('\n');
  },

  payloads({ files, recordSource }) {
    if (files.length === 0)
      return `SELECT ${['CAST(NULL AS JSON) AS json', ...emptyMeta()].join(', ')}\nLIMIT 0`;
    return [
      `SELECT __vl_docs.json, ${metaColumns(recordSource)}`,
      `FROM (\n${documents(files)}\n) AS __vl_docs`,
    ].join('\n');
  },
};
