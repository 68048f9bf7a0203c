/**
 * The vault's bookkeeping in schema vaultline_meta (DESIGN.md: load audit lives there):
 * - vault_load_state: per entity and staging source, the newest load_ts already loaded (high-water
 *   mark), so a load reads only newer staging rows;
 * - vault_load_log: one row per load with the audited counts, the inputs read (`source`, comma-separated)
 *   and the entity's newest high-water mark after the load (load-log.ts);
 * - vault_hashing: the hashing standard each entity was built with (a load under another standard is
 *   refused unless --full-refresh).
 * - vault_read_keys: per entity and staging source, every landed object (`_landing_key`) already
 *   loaded, with its arrival (the entity's load number that first read it): the incremental boundary
 *   follows commit order, whatever an object's load_ts, and the arrival order survives --full-refresh;
 * - vault_changes: per entity and load number, the hash keys that load inserted rows for and their
 *   oldest load_ts, so a PIT recomputes exactly the rows a late version affects.
 * Per-key current-state tables of satellites also live here (names.ts currentStateRelation).
 */
import type { Dialect } from '../../engine/dialect.ts';
import {
  CHANGES_TABLE,
  entityKey,
  HASHING_TABLE,
  LOAD_LOG_TABLE,
  LOAD_STATE_TABLE,
  READ_KEYS_TABLE,
} from '../names.ts';
import type { Relation } from '../types.ts';

export function metaDdl(dialect: Dialect, metaSchema: string): string[] {
  const t = (name: string) => dialect.relation(metaSchema, name);
  const { text, bigint, boolean, timestamp } = dialect.types;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(metaSchema)}`,
    `CREATE TABLE IF NOT EXISTS ${t(LOAD_STATE_TABLE)} (
  entity ${text} NOT NULL,
  source ${text} NOT NULL,
  high_water_load_ts ${timestamp}
)`,
    // Added after the first release: a warehouse made before gets it here.
    `ALTER TABLE ${t(LOAD_STATE_TABLE)} ADD COLUMN IF NOT EXISTS high_water_seq ${bigint}`,
    `CREATE TABLE IF NOT EXISTS ${t(LOAD_LOG_TABLE)} (
  entity ${text} NOT NULL,
  kind ${text} NOT NULL,
  run_id ${text},
  loaded_at ${timestamp} NOT NULL,
  full_refresh ${boolean} NOT NULL,
  source ${text},
  rows_read ${bigint},
  rows_inserted ${bigint},
  skipped_null_keys ${bigint},
  skipped_late_rows ${bigint},
  duplicates ${bigint},
  unchanged ${bigint},
  high_water_load_ts ${timestamp},
  details ${text}
)`,
    `CREATE TABLE IF NOT EXISTS ${t(READ_KEYS_TABLE)} (
  entity ${text} NOT NULL,
  source ${text} NOT NULL,
  landing_key ${text} NOT NULL,
  arrival ${bigint} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t(CHANGES_TABLE)} (
  entity ${text} NOT NULL,
  load_id ${bigint} NOT NULL,
  hk ${text} NOT NULL,
  first_load_ts ${timestamp} NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t(HASHING_TABLE)} (
  entity ${text} NOT NULL,
  fingerprint ${text} NOT NULL,
  recorded_at ${timestamp} NOT NULL,
  run_id ${text}
)`,
  ];
}

/** `{arrival}`: this load's number for an entity (one more than any arrival recorded for it). */
export function nextArrivalSql(dialect: Dialect, metaSchema: string, target: Relation): string {
  return (
    `SELECT coalesce(max(arrival), 0) + 1 AS arrival FROM ${dialect.relation(metaSchema, READ_KEYS_TABLE)} ` +
    `WHERE entity = ${dialect.literal(entityKey(target))}`
  );
}

/** `{entity, up_to}`: the newest change-log load of each of `entities`. */
export function changeLogHeadsSql(dialect: Dialect, metaSchema: string, entities: string[]): string {
  return (
    `SELECT entity, max(load_id) AS up_to FROM ${dialect.relation(metaSchema, CHANGES_TABLE)} ` +
    `WHERE entity IN (${entities.map((e) => dialect.literal(e)).join(', ')}) GROUP BY entity`
  );
}

/** Rows `{source, high_water}` (high_water as text, microseconds kept) of an entity. */
export function readHighWaterSql(dialect: Dialect, metaSchema: string, target: Relation): string {
  return (
    `SELECT source, ${dialect.timestampText('high_water_load_ts')} AS high_water, high_water_seq FROM ${dialect.relation(metaSchema, LOAD_STATE_TABLE)} ` +
    `WHERE entity = ${dialect.literal(entityKey(target))}`
  );
}

export function readHashingSql(dialect: Dialect, metaSchema: string, target: Relation): string {
  return (
    `SELECT fingerprint FROM ${dialect.relation(metaSchema, HASHING_TABLE)} ` +
    `WHERE entity = ${dialect.literal(entityKey(target))}`
  );
}

export function recordHashingSql(
  dialect: Dialect,
  metaSchema: string,
  target: Relation,
  fingerprint: string,
  recordedAt: string,
  runId: string | undefined,
): string[] {
  const table = dialect.relation(metaSchema, HASHING_TABLE);
  const entity = dialect.literal(entityKey(target));
  return [
    `DELETE FROM ${table} WHERE entity = ${entity}`,
    `INSERT INTO ${table} (entity, fingerprint, recorded_at, run_id) VALUES (${entity}, ${dialect.literal(fingerprint)}, ` +
      `${dialect.timestampLiteral(recordedAt)}, ${dialect.literal(runId ?? null)})`,
  ];
}

export interface LoadLogRow {
  kind: string;
  runId?: string;
  loadedAt: string;
  fullRefresh: boolean;
  source?: string;
  rowsRead: number;
  rowsInserted: number;
  skippedNullKeys: number;
  skippedLateRows: number;
  duplicates: number;
  unchanged: number;
  highWater?: string;
  details: Record<string, number>;
}

export function loadLogSql(dialect: Dialect, metaSchema: string, target: Relation, row: LoadLogRow): string {
  const l = (v: string | number | boolean | null) => dialect.literal(v);
  return (
    `INSERT INTO ${dialect.relation(metaSchema, LOAD_LOG_TABLE)} (entity, kind, run_id, loaded_at, full_refresh, source, ` +
    'rows_read, rows_inserted, skipped_null_keys, skipped_late_rows, duplicates, unchanged, high_water_load_ts, details) VALUES (' +
    [
      l(entityKey(target)),
      l(row.kind),
      l(row.runId ?? null),
      dialect.timestampLiteral(row.loadedAt),
      l(row.fullRefresh),
      l(row.source ?? null),
      l(row.rowsRead),
      l(row.rowsInserted),
      l(row.skippedNullKeys),
      l(row.skippedLateRows),
      l(row.duplicates),
      l(row.unchanged),
      row.highWater === undefined ? 'NULL' : dialect.timestampLiteral(row.highWater),
      l(JSON.stringify(row.details)),
    ].join(', ') +
    ')'
  );
}
