/**
 * Record tracking satellite for full-snapshot sources: every load_ts of the staging relation is a
 * complete snapshot. Rows: `hk_<parent>`, load_ts, record_source, is_deleted. A key seen for the first
 * time gets a row (is_deleted false); a known key missing from a snapshot gets a deletion marker
 * (is_deleted true) — nothing is ever deleted; a key that reappears gets a new row (false). Only
 * changes of status are written. The current-state table holds each known key's latest status.
 *
 * Each snapshot is compared with every known key, so a load reads the new snapshots and the
 * current-state table (one row per key ever seen: the size of a snapshot), never the history.
 * Snapshots at or before the newest one already tracked are skipped as late.
 *
 * Accounting: rows_read = skipped_null_keys + skipped_late_rows + duplicates (a key twice in one
 * snapshot) + unchanged (present, and already known as present) + appeared (rows_inserted with
 * is_deleted false); deletion markers are rows_inserted with is_deleted true.
 */
import { ghostKey } from '../hashing.ts';
import { COL, currentStateRelation, GHOST_RECORD_SOURCE } from '../names.ts';
import type { RecordTrackingSatelliteSpec } from '../types.ts';
import {
  changeLogStatement,
  creating,
  dropTemp,
  ghostTs,
  highWaterStatements,
  lit,
  lookupIndexStatements,
  notNull,
  type PlanContext,
  parentKeySql,
  prologue,
  q,
  rel,
  type StagingInput,
  sourceStatsStatement,
  sqlType,
  stagingMeta,
  TMP,
  targetDdl,
  textOrder,
  type VaultPlan,
  type VaultStatement,
} from './common.ts';

export function planRecordTrackingSatellite(
  spec: RecordTrackingSatelliteSpec,
  ctx: PlanContext,
  staging: StagingInput,
): VaultPlan {
  const meta = stagingMeta(spec.name, staging, ctx);
  const current = currentStateRelation(ctx.dialect, ctx.target, ctx.metaSchema);
  const target = rel(ctx, ctx.target);
  const cur = rel(ctx, current);
  const hk = q(ctx, spec.parent.hashKey);
  const rows = q(ctx, TMP.rows);
  const next = q(ctx, TMP.next);
  const ghost = lit(ctx, ghostKey(ctx.hashing));

  const statements: VaultStatement[] = [
    ...prologue(ctx, [current]),
    ...targetDdl(ctx, [
      [spec.parent.hashKey, notNull(ctx, 'text')],
      [COL.loadTs, notNull(ctx, 'timestamp')],
      [COL.recordSource, notNull(ctx, 'text')],
      [COL.isDeleted, sqlType(ctx, 'boolean')],
    ]),
    {
      label: 'current state: latest status per known key',
      sql: `CREATE TABLE IF NOT EXISTS ${cur} (hk ${notNull(ctx, 'text')}, load_ts ${notNull(ctx, 'timestamp')}, is_deleted ${notNull(ctx, 'boolean')})`,
    },
  ];
  if (creating(ctx)) {
    statements.push({
      label: 'ghost record',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.recordSource}) ` +
        `VALUES (${ghost}, ${ghostTs(ctx)}, ${lit(ctx, GHOST_RECORD_SOURCE)})`,
    });
  }
  statements.push(
    {
      label: 'batch: snapshot rows above the high-water mark, hashed',
      sql:
        `CREATE TEMPORARY TABLE ${rows} AS\n` +
        `SELECT ${lit(ctx, spec.source)} AS vl_source, ${parentKeySql(spec.name, spec.parent, staging, ctx)} AS vl_hk,\n` +
        `  ${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}\nFROM ${meta.from}`,
    },
    sourceStatsStatement(ctx),
    {
      label: 'status of every known key in every new snapshot; keep the changes',
      sql:
        `CREATE TEMPORARY TABLE ${next} AS\n` +
        `WITH snapshots AS (\n` +
        `  SELECT ${COL.loadTs}, min(${textOrder(ctx, COL.recordSource)}) AS ${COL.recordSource} FROM ${rows}\n` +
        `  WHERE ${COL.loadTs} > coalesce((SELECT max(load_ts) FROM ${cur}), ${ghostTs(ctx)})\n` +
        `  GROUP BY ${COL.loadTs}\n` +
        `), present AS (\n` +
        `  SELECT DISTINCT r.vl_hk, r.${COL.loadTs} FROM ${rows} AS r JOIN snapshots AS s ON s.${COL.loadTs} = r.${COL.loadTs}\n` +
        `  WHERE r.vl_hk IS NOT NULL\n` +
        `), known AS (\n` +
        `  SELECT hk AS vl_hk, is_deleted AS vl_cur_deleted, ${ghostTs(ctx)} AS vl_first FROM ${cur}\n` +
        `  UNION ALL\n` +
        `  SELECT p.vl_hk, NULL, min(p.${COL.loadTs}) FROM present AS p\n` +
        `  WHERE NOT EXISTS (SELECT 1 FROM ${cur} AS c WHERE c.hk = p.vl_hk) GROUP BY p.vl_hk\n` +
        `), grid AS (\n` +
        `  SELECT k.vl_hk, k.vl_cur_deleted, s.${COL.loadTs}, s.${COL.recordSource}, p.vl_hk IS NULL AS vl_deleted\n` +
        `  FROM known AS k JOIN snapshots AS s ON s.${COL.loadTs} >= k.vl_first\n` +
        `  LEFT JOIN present AS p ON p.vl_hk = k.vl_hk AND p.${COL.loadTs} = s.${COL.loadTs}\n` +
        `), changes AS (\n` +
        `  SELECT g.*, coalesce(lag(vl_deleted) OVER (PARTITION BY vl_hk ORDER BY ${COL.loadTs}), vl_cur_deleted) AS vl_prev FROM grid AS g\n` +
        `)\n` +
        `SELECT vl_hk, ${COL.loadTs}, ${COL.recordSource}, vl_deleted, vl_prev FROM changes\n` +
        `WHERE vl_prev IS NULL OR vl_prev <> vl_deleted`,
    },
    {
      label: 'counts',
      read: 'stats',
      sql:
        `WITH batch AS (\n` +
        `  SELECT count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys,\n` +
        `    coalesce(sum(CASE WHEN ${COL.loadTs} <= coalesce((SELECT max(load_ts) FROM ${cur}), ${ghostTs(ctx)}) THEN 1 ELSE 0 END), 0) AS skipped_late_rows\n` +
        `  FROM ${rows}\n` +
        `), fresh AS (\n` +
        `  SELECT count(*) AS fresh_rows, count(DISTINCT vl_hk || '@' || ${ctx.dialect.timestampText(COL.loadTs)}) AS present\n` +
        `  FROM ${rows} WHERE vl_hk IS NOT NULL AND ${COL.loadTs} > coalesce((SELECT max(load_ts) FROM ${cur}), ${ghostTs(ctx)})\n` +
        `), changed AS (\n` +
        `  SELECT count(*) AS rows_inserted, coalesce(sum(CASE WHEN vl_deleted THEN 1 ELSE 0 END), 0) AS deletion_markers,\n` +
        `    coalesce(sum(CASE WHEN NOT vl_deleted AND vl_prev IS NULL THEN 1 ELSE 0 END), 0) AS new_keys,\n` +
        `    coalesce(sum(CASE WHEN NOT vl_deleted AND vl_prev THEN 1 ELSE 0 END), 0) AS reappeared\n` +
        `  FROM ${next}\n` +
        `)\n` +
        `SELECT rows_read, skipped_null_keys, skipped_late_rows, fresh_rows - present AS duplicates,\n` +
        `  present - (new_keys + reappeared) AS unchanged, rows_inserted, deletion_markers, new_keys, reappeared,\n` +
        `  (SELECT count(DISTINCT ${COL.loadTs}) FROM ${rows} WHERE ${COL.loadTs} > coalesce((SELECT max(load_ts) FROM ${cur}), ${ghostTs(ctx)})) AS snapshots\n` +
        `FROM batch, fresh, changed`,
    },
    {
      label: 'insert status changes',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.recordSource}, ${COL.isDeleted})\n` +
        `SELECT vl_hk, ${COL.loadTs}, ${COL.recordSource}, vl_deleted FROM ${next}`,
    },
    changeLogStatement(ctx, next, 'TRUE'),
    {
      label: 'current state: forget keys whose status changed',
      sql: `DELETE FROM ${cur} WHERE hk IN (SELECT vl_hk FROM ${next})`,
    },
    {
      label: 'current state: their newest status',
      sql:
        `INSERT INTO ${cur} (hk, load_ts, is_deleted)\n` +
        `SELECT vl_hk, ${COL.loadTs}, vl_deleted FROM (\n` +
        `  SELECT n.*, row_number() OVER (PARTITION BY vl_hk ORDER BY ${COL.loadTs} DESC) AS vl_rank FROM ${next} AS n\n` +
        `) AS latest WHERE vl_rank = 1`,
    },
    ...lookupIndexStatements(ctx, current, ['hk']),
    ...highWaterStatements(ctx, [staging], rows, false),
    ...dropTemp(ctx, TMP.rows, TMP.next),
  );
  return { statements };
}
