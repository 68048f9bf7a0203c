import type { CompactionSql } from '../compaction.ts';
import { trimmedPayload } from './compacted-document.ts';
import { duckdbDialect } from './dialect.ts';

const q = (name: string) => duckdbDialect.quoteIdentifier(name);
const lit = (value: string) => duckdbDialect.literal(value);

/** DuckDB's messages for a body its JSON reader cannot read. */
const UNREADABLE = [/Invalid Input Error/i, /not a GZIP stream/i, /Malformed JSON/i, /Conversion Error/i];

/** DuckDB's default maximum JSON object size is 16 MB; staged lines and bodies may be larger. */
const DEFAULT_MAX_OBJECT = 16 * 1024 * 1024;

/**
 * Compaction on DuckDB. Parquet is written by DuckDB's own COPY (row groups and zstd as asked), and
 * the payload column is VARCHAR holding the exact body text; `documents` compares DuckDB's JSON reader
 * on the gzip body with `compactedDocument` on that text — the expression the reader uses later.
 */
export const duckdbCompaction: CompactionSql = {
  load({ staging, table, maxLineBytes }) {
    const size = Math.max(DEFAULT_MAX_OBJECT, maxLineBytes + 1024);
    return [
      `CREATE OR REPLACE TABLE ${q(table)} AS SELECT k, t, s, v, p, f FROM read_json(${lit(staging)}, format = 'newline_delimited', compression = 'gzip', columns = {k: 'VARCHAR', t: 'TIMESTAMP', s: 'VARCHAR', v: 'BOOLEAN', p: 'VARCHAR', f: 'VARCHAR'}, maximum_object_size = ${size})`,
    ];
  },

  isUnreadableBody(error) {
    const message = error instanceof Error ? error.message : String(error);
    return UNREADABLE.some((p) => p.test(message));
  },

  hashMismatches(table) {
    return `SELECT k AS key FROM ${q(table)} WHERE sha256(p) IS DISTINCT FROM s ORDER BY k`;
  },

  documents(table, paths) {
    const size = Math.max(DEFAULT_MAX_OBJECT, ...paths.map((p) => p.bytes + 1024));
    const list = paths.map((p) => lit(p.path)).join(', ');
    return [
      'SELECT __vl_s.k AS key, coalesce(__vl_d.n, 0) AS documents,',
      `  coalesce(__vl_d.n = 1 AND __vl_d.doc = CAST(TRY_CAST(${trimmedPayload('__vl_s.p')} AS JSON) AS VARCHAR), false) AS same`,
      `FROM ${q(table)} AS __vl_s`,
      'LEFT JOIN (',
      '  SELECT filename, count(*) AS n, min(CAST(json AS VARCHAR)) AS doc',
      `  FROM read_json_objects([${list}], format = 'unstructured', compression = 'gzip', filename = true, maximum_object_size = ${size})`,
      '  GROUP BY filename',
      ') AS __vl_d ON __vl_d.filename = __vl_s.f',
      `WHERE __vl_s.f IN (${list})`,
    ].join('\n');
  },

  exclude(table, keys) {
    if (keys.length === 0) return [];
    return [`DELETE FROM ${q(table)} WHERE k IN (${keys.map(lit).join(', ')})`];
  },

  copy({ table, out, rowGroupSize }) {
    return [
      'COPY (',
      '  SELECT k AS _landing_key, t AS _load_ts, s AS sha256, v AS valid_json, p AS payload',
      `  FROM ${q(table)}`,
      '  ORDER BY k',
      `) TO ${lit(out)} (FORMAT parquet, ROW_GROUP_SIZE ${Math.trunc(rowGroupSize)}, COMPRESSION zstd)`,
    ].join('\n');
  },

  written(out) {
    // ok: the row's payload is the landed body (its sha256), and a row meant to be read casts to JSON
    // the way the reader will cast it — checked on the file itself, after it was written.
    return [
      'SELECT _landing_key AS key, sha256,',
      `  sha256(payload) = sha256 AND (NOT valid_json OR TRY_CAST(${trimmedPayload('payload')} AS JSON) IS NOT NULL) AS ok`,
      `FROM read_parquet(${lit(out)})`,
    ].join('\n');
  },

  rowGroups(out) {
    return `SELECT count(DISTINCT row_group_id) AS row_groups FROM parquet_metadata(${lit(out)})`;
  },
};
