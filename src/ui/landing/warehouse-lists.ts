import type { VaultlineConfig } from '../../config/schema.ts';
import type { Session } from '../../engine/dialect.ts';
import { engineFor } from '../../engine/engine.ts';
import { META_SCHEMA, metaTable } from '../../run/meta/schema.ts';
import { listQuarantine, quarantineJson } from '../../run/sources/quarantine.ts';

export type QuarantineRow = ReturnType<typeof quarantineJson>;

export interface RejectRow {
  key: string;
  source: string;
  record_index: number;
  column: string;
  json_path: string;
  data_type: string;
  value: string | null;
  reason: string;
  run_id: string;
  rejected_at: string;
}

/** True when vaultline_meta.<table> exists: before the first build the warehouse holds none of it. */
async function hasMetaTable(config: VaultlineConfig, session: Session, table: string): Promise<boolean> {
  const { catalog } = engineFor(config.warehouse.type);
  return (await catalog.relationKind(session, META_SCHEMA, table)) !== undefined;
}

/** The quarantine (released entries too with `all`), newest first; empty before the first build. */
export async function quarantineRows(
  config: VaultlineConfig,
  session: Session,
  all: boolean,
): Promise<QuarantineRow[] | null> {
  if (!(await hasMetaTable(config, session, 'quarantine'))) return null;
  return (await listQuarantine(session, { includeReleased: all })).map(quarantineJson);
}

/**
 * The newest `limit` rejected values of each source's current raw table (its newest generation: a
 * rebuilt raw table's old rejects belong to rows that are gone). Null before the first build.
 */
export async function rejectRows(
  config: VaultlineConfig,
  session: Session,
  limit: number,
): Promise<RejectRow[] | null> {
  if (!(await hasMetaTable(config, session, 'rejects'))) return null;
  const d = session.dialect;
  const rejects = metaTable(d, 'rejects');
  const rows = await session.query<{
    source_unique_id: string;
    landing_key: string;
    record_index: bigint | number;
    column_name: string;
    json_path: string;
    data_type: string;
    raw_value: string | null;
    reason: string;
    run_id: string;
    rejected_at: Date;
  }>(
    `SELECT r.source_unique_id, r.landing_key, r.record_index, r.column_name, r.json_path, r.data_type,
       r.raw_value, r.reason, r.run_id, r.rejected_at
     FROM ${rejects} r
     WHERE r.generation = (SELECT max(t.generation) FROM ${metaTable(d, 'raw_tables')} t
                           WHERE t.source_unique_id = r.source_unique_id)
     ORDER BY r.rejected_at DESC, r.landing_key, r.record_index, r.column_name
     LIMIT $1`,
    { params: [limit] },
  );
  return rows.map((r) => ({
    key: r.landing_key,
    source: r.source_unique_id,
    record_index: Number(r.record_index),
    column: r.column_name,
    json_path: r.json_path,
    data_type: r.data_type,
    value: r.raw_value,
    reason: r.reason,
    run_id: r.run_id,
    rejected_at: r.rejected_at instanceof Date ? r.rejected_at.toISOString() : String(r.rejected_at),
  }));
}
