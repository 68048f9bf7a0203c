/**
 * Effectivity satellite on a link with a driving key: each driving key (say a customer) has one
 * active relationship (say an address) at a time. Rows: `hk_<link>`, load_ts, load_seq,
 * record_source, start_ts, end_ts (9999-12-31 while open). Insert-only: when the driving key's link
 * changes at time t, a row closes the old link (its start kept, end = t) and a row opens the new one
 * (start = t); changing back reopens the first link with a new row. A link's state at any time is its
 * newest row. The current-state table keeps, per driving key, the open link and its start.
 *
 * Several different links for one driving key at the same load_ts are all applied in order
 * (`sequence:` columns, then hash key); load_seq keeps (hk, load_ts, load_seq) unique when a link is
 * opened and closed within one load_ts.
 *
 * Accounting: rows_read = skipped_null_keys + skipped_late_rows + duplicates + unchanged (same link
 * as before) + changes; rows_inserted = changes (opened) + closed.
 */
import { ghostKey, hashKeySql } from '../hashing.ts';
import { COL, currentStateRelation, END_OF_TIME, GHOST_RECORD_SOURCE } from '../names.ts';
import type { EffectivitySatelliteSpec } from '../types.ts';
import {
  changeLogStatement,
  columnOrder,
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
  stagingColumn,
  stagingMeta,
  stateKey,
  TMP,
  targetDdl,
  textOrder,
  tsLiteral,
  type VaultPlan,
  type VaultStatement,
} from './common.ts';

export function planEffectivitySatellite(
  spec: EffectivitySatelliteSpec,
  ctx: PlanContext,
  staging: StagingInput,
): VaultPlan {
  const meta = stagingMeta(spec.name, staging, ctx);
  const driving = spec.drivingKey.map((i) =>
    spec.parent.groups[i]!.map((c) => stagingColumn(spec.name, staging, c, ctx)),
  );
  const seq = spec.sequence.map((c) => stagingColumn(spec.name, staging, c, ctx));
  const seqNames = seq.map((_, i) => `vl_seq_${i}`);
  const seqList = (alias?: string) => seqNames.map((n) => (alias ? `${alias}.${n}, ` : `${n}, `)).join('');
  // The same as ordering keys: text by code point on every engine, as the link hash key.
  const seqOrder = (alias?: string) =>
    seqNames.map((n, i) => `${columnOrder(ctx, alias ? `${alias}.${n}` : n, seq[i]!.type)}, `).join('');
  const hkOrder = (alias?: string) => textOrder(ctx, alias ? `${alias}.vl_hk` : 'vl_hk');
  const current = currentStateRelation(ctx.dialect, ctx.target, ctx.metaSchema);
  const target = rel(ctx, ctx.target);
  const cur = rel(ctx, current);
  const key = stateKey(ctx, 'driving_key');
  const hk = q(ctx, spec.parent.hashKey);
  const rows = q(ctx, TMP.rows);
  const next = q(ctx, TMP.next);
  const events = q(ctx, TMP.events);
  const ghost = lit(ctx, ghostKey(ctx.hashing));
  const open = tsLiteral(ctx, END_OF_TIME);

  const statements: VaultStatement[] = [
    ...prologue(ctx, [current]),
    ...targetDdl(ctx, [
      [spec.parent.hashKey, notNull(ctx, 'text')],
      [COL.loadTs, notNull(ctx, 'timestamp')],
      [COL.loadSeq, notNull(ctx, 'integer')],
      [COL.recordSource, notNull(ctx, 'text')],
      [COL.startTs, sqlType(ctx, 'timestamp')],
      [COL.endTs, sqlType(ctx, 'timestamp')],
    ]),
    {
      label: 'current state: open link and its start per driving key',
      sql: `CREATE TABLE IF NOT EXISTS ${cur} (${key.ddl}, hk ${notNull(ctx, 'text')}, start_ts ${notNull(ctx, 'timestamp')}, load_ts ${notNull(ctx, 'timestamp')})`,
    },
  ];
  if (creating(ctx)) {
    statements.push({
      label: 'ghost record',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.loadSeq}, ${COL.recordSource}) ` +
        `VALUES (${ghost}, ${ghostTs(ctx)}, 0, ${lit(ctx, GHOST_RECORD_SOURCE)})`,
    });
  }
  statements.push(
    {
      label: 'batch: staging rows above the high-water mark, hashed',
      sql:
        `CREATE TEMPORARY TABLE ${rows} AS\n` +
        `SELECT ${lit(ctx, spec.source)} AS vl_source, ${parentKeySql(spec.name, spec.parent, staging, ctx)} AS vl_hk,\n` +
        `  ${hashKeySql(driving, ctx.hashing, ctx.dialect, ctx.macros)} AS vl_driver,\n` +
        seq.map((c, i) => `  ${c.expression} AS ${seqNames[i]},\n`).join('') +
        `  ${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}\nFROM ${meta.from}`,
    },
    sourceStatsStatement(ctx),
    {
      label: 'classify: late, duplicate, unchanged relationship or change',
      sql:
        `CREATE TEMPORARY TABLE ${next} AS\n` +
        `SELECT y.*, CASE WHEN vl_late THEN 'late' WHEN vl_copy > 1 THEN 'duplicate'\n` +
        `  WHEN vl_hk = coalesce(vl_prev, vl_cur_hk) THEN 'unchanged' ELSE 'new' END AS vl_status\n` +
        `FROM (\n` +
        `  SELECT x.*, lag(vl_hk) OVER (PARTITION BY vl_driver, vl_late OR vl_copy > 1 ORDER BY ${COL.loadTs}, ${seqOrder()}${hkOrder()}) AS vl_prev\n` +
        `  FROM (\n` +
        `    SELECT r.*, c.hk AS vl_cur_hk, c.start_ts AS vl_cur_start, coalesce(r.${COL.loadTs} <= c.load_ts, FALSE) AS vl_late,\n` +
        `      row_number() OVER (PARTITION BY r.vl_driver, r.${COL.loadTs}, ${seqList('r')}r.vl_hk ORDER BY ${textOrder(ctx, `r.${COL.recordSource}`)}) AS vl_copy\n` +
        `    FROM ${rows} AS r LEFT JOIN ${cur} AS c ON ${key.matches('c', 'r.vl_driver')}\n` +
        `    WHERE r.vl_hk IS NOT NULL\n` +
        `  ) AS x\n) AS y`,
    },
    {
      label: 'changes in order per driving key, with the link each one closes',
      sql:
        `CREATE TEMPORARY TABLE ${events} AS\n` +
        `SELECT n.vl_driver, n.vl_hk, n.${COL.loadTs}, n.${COL.recordSource},\n` +
        `  row_number() OVER w AS vl_event,\n` +
        `  coalesce(lag(n.vl_hk) OVER w, n.vl_cur_hk) AS vl_closes,\n` +
        `  coalesce(lag(n.${COL.loadTs}) OVER w, n.vl_cur_start) AS vl_closes_start\n` +
        `FROM ${next} AS n WHERE n.vl_status = 'new'\n` +
        `WINDOW w AS (PARTITION BY n.vl_driver ORDER BY n.${COL.loadTs}, ${seqOrder('n')}${hkOrder('n')})`,
    },
    {
      label: 'counts',
      read: 'stats',
      sql:
        `SELECT (SELECT count(*) FROM ${rows}) AS rows_read,\n` +
        `  (SELECT count(*) - count(vl_hk) FROM ${rows}) AS skipped_null_keys,\n` +
        `  coalesce(sum(CASE WHEN vl_status = 'late' THEN 1 ELSE 0 END), 0) AS skipped_late_rows,\n` +
        `  coalesce(sum(CASE WHEN vl_status = 'duplicate' THEN 1 ELSE 0 END), 0) AS duplicates,\n` +
        `  coalesce(sum(CASE WHEN vl_status = 'unchanged' THEN 1 ELSE 0 END), 0) AS unchanged,\n` +
        `  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS opened,\n` +
        `  (SELECT count(vl_closes) FROM ${events}) AS closed,\n` +
        `  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) + (SELECT count(vl_closes) FROM ${events}) AS rows_inserted\n` +
        `FROM ${next}`,
    },
    {
      label: 'insert closing and opening rows',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.loadSeq}, ${COL.recordSource}, ${COL.startTs}, ${COL.endTs})\n` +
        `SELECT vl_link, ${COL.loadTs}, row_number() OVER (PARTITION BY vl_link, ${COL.loadTs} ORDER BY vl_event, vl_opens) - 1,\n` +
        `  ${COL.recordSource}, vl_start, vl_end\n` +
        `FROM (\n` +
        `  SELECT vl_closes AS vl_link, ${COL.loadTs}, vl_event, 0 AS vl_opens, ${COL.recordSource}, vl_closes_start AS vl_start, ${COL.loadTs} AS vl_end\n` +
        `  FROM ${events} WHERE vl_closes IS NOT NULL\n` +
        `  UNION ALL\n` +
        `  SELECT vl_hk, ${COL.loadTs}, vl_event, 1, ${COL.recordSource}, ${COL.loadTs}, ${open} FROM ${events}\n` +
        `) AS emitted`,
    },
    changeLogStatement(
      ctx,
      `(SELECT vl_hk, ${COL.loadTs} FROM ${events} UNION ALL ` +
        `SELECT vl_closes, ${COL.loadTs} FROM ${events} WHERE vl_closes IS NOT NULL) AS emitted`,
      'TRUE',
    ),
    {
      label: 'current state: forget driving keys that changed',
      sql: `DELETE FROM ${cur} AS c USING ${events} AS e WHERE ${key.matches('c', 'e.vl_driver')}`,
    },
    {
      label: 'current state: their newest open link',
      sql:
        `INSERT INTO ${cur} (${key.columns.join(', ')}, hk, start_ts, load_ts)\n` +
        `SELECT ${key.values('vl_driver').join(', ')}, vl_hk, ${COL.loadTs}, ${COL.loadTs} FROM (\n` +
        `  SELECT e.*, row_number() OVER (PARTITION BY vl_driver ORDER BY vl_event DESC) AS vl_rank FROM ${events} AS e\n` +
        `) AS latest WHERE vl_rank = 1`,
    },
    ...lookupIndexStatements(ctx, current, key.columns),
    ...highWaterStatements(ctx, [staging], rows, false),
    ...dropTemp(ctx, TMP.rows, TMP.next, TMP.events),
  );
  return { statements };
}
