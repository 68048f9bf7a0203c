import type { DialectCapabilities, DialectTypes, TypeFamily } from '../dialect.ts';

/**
 * PostgreSQL's answers to the Dialect members the run layer gained for engine neutrality (default
 * schema, timestamp literals and text, type families, create-or-replace per kind, view binding), as
 * plain values and functions for src/engine/postgres/dialect.ts to put in its Dialect:
 *
 *   defaultSchema: pgDefaultSchema, types: pgTypes, timestampLiteral: pgTimestampLiteral,
 *   timestampText: pgTimestampText, typeFamily: pgTypeFamily, capabilities: { …, ...pgReplaceCapabilities }
 */

/** Unqualified names go to `public` (the default search_path). */
export const pgDefaultSchema = 'public';

/** `DOUBLE` and `VARCHAR`-as-text are DuckDB's; PostgreSQL's own spellings. */
export const pgTypes: DialectTypes = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  double: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
};

/**
 * `CREATE OR REPLACE VIEW` exists (but keeps the columns: names and types in order, new ones only at
 * the end); there is no `CREATE OR REPLACE TABLE`. Views are bound to the relations they read when
 * created: DROP fails while views depend on a relation, so the run layer swaps (target.ts).
 */
export const pgReplaceCapabilities: Pick<DialectCapabilities, 'createOrReplace' | 'lateBoundViews'> = {
  createOrReplace: { table: false, view: true },
  lateBoundViews: false,
};

/** `TIMESTAMP '2024-01-02 03:04:05.123456'` (timestamp without time zone, read as written). */
export function pgTimestampLiteral(text: string): string {
  return `TIMESTAMP '${text.replaceAll("'", "''")}'`;
}

/**
 * Always six fractional digits, whatever DateStyle says (a bare `::text` follows DateStyle): read back
 * exactly by pgTimestampLiteral, and fixed width, so text order is time order. The CAST gives to_char
 * one signature also for a bare NULL (`to_char(NULL, …)` is ambiguous).
 */
export function pgTimestampText(expression: string): string {
  return `to_char(CAST(${expression} AS timestamp), 'YYYY-MM-DD HH24:MI:SS.US')`;
}

/**
 * Families of the type names PostgreSQL's catalog gives: `format_type()` spellings (`character
 * varying(20)`, `numeric(18,3)`, `timestamp(3) without time zone`, `integer[]`) and the
 * information_schema `data_type` ones (`ARRAY`, `USER-DEFINED`). Arrays, domains, enums, composite
 * and other user-defined types are `other`.
 */
export function pgTypeFamily(dataType: string): TypeFamily {
  const t = dataType.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t.endsWith(']') || t === 'array' || t === 'user-defined') return 'other';
  if (/^(smallint|integer|bigint|int[248]?|smallserial|serial[248]?|bigserial)$/.test(t)) return 'integer';
  if (/^(real|double precision|float[48]?)$/.test(t)) return 'float';
  if (/^(numeric|decimal)\b/.test(t)) return 'decimal';
  if (/^(text|character varying|varchar|character|char|bpchar|name|"char"|citext)\b/.test(t)) return 'text';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'date') return 'date';
  if (/^timestamp(\(\d\))? with time zone$/.test(t) || t === 'timestamptz') return 'timestamptz';
  if (/^timestamp(\(\d\))?( without time zone)?$/.test(t)) return 'timestamp';
  if (/^(time|timetz)\b/.test(t)) return 'time';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}
