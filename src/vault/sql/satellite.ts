/**
 * Standard satellite load: insert-only rows (`hk_<parent>`, load_ts, load_seq, record_source,
 * hashdiff, attributes). Only staging rows above the high-water mark are read, and they are compared
 * with the per-key current-state table (latest hashdiff per key), never with the history.
 *
 * Per key, the batch's distinct records are put in order (load_ts, sequence columns, hashdiff) and a
 * record is kept when its hashdiff differs from the one before it (the first is compared with the
 * current state). So A→B→A across load_ts values keeps all three; several different records sharing
 * one load_ts are all kept — ordered by the `sequence:` columns when given, else by hashdiff — and
 * numbered by load_seq (0, 1, …), which keeps (hk, load_ts, load_seq) unique. A load_ts never spans
 * two batches, so one batch or many give the same rows (property-tested).
 *
 * The current state of a key is its last row seen (in that order): its hashdiff is the one the next
 * batch compares with, its load_ts the bound below which rows are late.
 *
 * Cost: one statement hashes the new staging rows, joins them with the current state and classifies
 * them with a single window (one sort of the batch); the satellite is only appended to.
 *
 * Accounting: rows_read = skipped_null_keys + skipped_late_rows (at or before the key's last row
 * seen: out-of-order staging or a replay) + duplicates (same key, load_ts, sequence and hashdiff) +
 * unchanged + rows_inserted.
 */
import { ghostKey, hashDiffSql } from '../hashing.ts';
import { COL, currentStateRelation, GHOST_RECORD_SOURCE } from '../names.ts';
import type { SatelliteSpec } from '../types.ts';
import {
  creating,
  dropTemp,
  GHOST_TS,
  highWaterStatements,
  list,
  lit,
  type PlanContext,
  parentKeySql,
  prologue,
  q,
  rel,
  type StagingInput,
  sourceStatsStatement,
  stagingColumn,
  stagingMeta,
  stateKey,
  TMP,
  targetDdl,
  type VaultPlan,
  type VaultStatement,
} from './common.ts';

export function planSatellite(spec: SatelliteSpec, ctx: PlanContext, staging: StagingInput): VaultPlan {
  const attrs = spec.attributes.map((a) => stagingColumn(spec.name, staging, a, ctx));
  const seq = spec.sequence.map((c) => stagingColumn(spec.name, staging, c, ctx));
  const seqNames = seq.map((_, i) => `vl_seq_${i}`);
  const meta = stagingMeta(spec.name, staging, ctx);
  const current = currentStateRelation(ctx.target, ctx.metaSchema);
  const target = rel(ctx, ctx.target);
  const cur = rel(ctx, current);
  const key = stateKey(ctx, 'hk');
  const hk = q(ctx, spec.parent.hashKey);
  const attrNames = spec.attributes;
  const rows = q(ctx, TMP.rows);
  const seqList = (alias?: string) => seqNames.map((n) => (alias ? `${alias}.${n}, ` : `${n}, `)).join('');
  const ghost = lit(ctx, ghostKey(ctx.hashing));

  const statements: VaultStatement[] = [
    ...prologue(ctx, [current]),
    ...targetDdl(ctx, [
      [spec.parent.hashKey, 'VARCHAR NOT NULL'],
      [COL.loadTs, 'TIMESTAMP NOT NULL'],
      [COL.loadSeq, 'INTEGER NOT NULL'],
      [COL.recordSource, 'VARCHAR NOT NULL'],
      [COL.hashdiff, 'VARCHAR NOT NULL'],
      ...attrs.map((a): [string, string] => [a.name, a.ddlType]),
    ]),
    {
      label: 'current state: latest hashdiff per key',
      sql: `CREATE TABLE IF NOT EXISTS ${cur} (${key.ddl}, load_ts TIMESTAMP NOT NULL, hashdiff VARCHAR NOT NULL)`,
    },
  ];
  if (creating(ctx)) {
    statements.push({
      label: 'ghost record',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.loadSeq}, ${COL.recordSource}, ${COL.hashdiff}) ` +
        `VALUES (${ghost}, ${GHOST_TS}, 0, ${lit(ctx, GHOST_RECORD_SOURCE)}, ${ghost})`,
    });
  }
  // One window over the batch, partitioned per key (late rows apart) and ordered by load_ts, sequence,
  // hashdiff, then record_source and attributes so the representative of identical copies is fixed.
  const w =
    `PARTITION BY r.vl_hk, coalesce(r.${COL.loadTs} <= c.load_ts, FALSE) ` +
    `ORDER BY r.${COL.loadTs}, ${seqList('r')}r.vl_hashdiff, r.${COL.recordSource}, ${list(ctx, attrNames, 'r')}`;
  const sameAsPrevious = [
    `vl_prev_ts = ${COL.loadTs}`,
    ...seqNames.map((n) => `vl_prev_${n} IS NOT DISTINCT FROM ${n}`),
    'vl_prev_hd = vl_hashdiff',
  ].join(' AND ');
  const newRow = `${q(ctx, TMP.rows)} WHERE vl_status = 'new'`;
  statements.push(
    {
      label: 'batch: staging rows above the high-water mark, hashed and classified against the current state',
      sql:
        `CREATE TEMPORARY TABLE ${rows} AS\n` +
        // Only what the later statements need is kept: the previous hashdiffs are not stored.
        `SELECT vl_source, vl_hk, vl_hashdiff, ${seqList()}${list(ctx, attrNames)}, ${COL.loadTs}, ${COL.recordSource},\n` +
        `  vl_late, vl_prev_ts, vl_next_ts, vl_last,\n` +
        `  CASE WHEN vl_hk IS NULL THEN 'null_key' WHEN vl_late THEN 'late'\n` +
        `  WHEN ${sameAsPrevious} THEN 'duplicate'\n` +
        `  WHEN vl_hashdiff = coalesce(vl_prev_hd, vl_cur_hashdiff) THEN 'unchanged' ELSE 'new' END AS vl_status\n` +
        `FROM (\n` +
        `  SELECT r.*, c.hashdiff AS vl_cur_hashdiff, coalesce(r.${COL.loadTs} <= c.load_ts, FALSE) AS vl_late,\n` +
        `    lag(r.${COL.loadTs}) OVER w AS vl_prev_ts, ` +
        seqNames.map((n) => `lag(r.${n}) OVER w AS vl_prev_${n}, `).join('') +
        `lag(r.vl_hashdiff) OVER w AS vl_prev_hd,\n` +
        `    lead(r.${COL.loadTs}) OVER w AS vl_next_ts, lead(r.vl_hashdiff) OVER w IS NULL AS vl_last\n` +
        `  FROM (\n` +
        `    SELECT ${lit(ctx, spec.source)} AS vl_source, ${parentKeySql(spec.name, spec.parent, staging, ctx)} AS vl_hk,\n` +
        `      ${hashDiffSql(attrs, ctx.hashing, ctx.dialect, ctx.macros)} AS vl_hashdiff,\n` +
        seq.map((c, i) => `      ${c.expression} AS ${seqNames[i]},\n`).join('') +
        `      ${attrs.map((a) => `${a.expression} AS ${q(ctx, a.name)}`).join(', ')},\n` +
        `      ${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}\n` +
        `    FROM ${meta.from}\n` +
        `  ) AS r LEFT JOIN ${cur} AS c ON ${key.matches('c', 'r.vl_hk')}\n` +
        `  WINDOW w AS (${w})\n` +
        `) AS x`,
    },
    sourceStatsStatement(ctx),
    {
      label: 'counts',
      read: 'stats',
      sql:
        `SELECT count(*) AS rows_read,\n` +
        [
          'null_key:skipped_null_keys',
          'late:skipped_late_rows',
          'duplicate:duplicates',
          'unchanged:unchanged',
          'new:rows_inserted',
        ]
          .map((pair) => {
            const [status, name] = pair.split(':');
            return `  coalesce(sum(CASE WHEN vl_status = '${status}' THEN 1 ELSE 0 END), 0) AS ${name}`;
          })
          .join(',\n') +
        `\nFROM ${rows}`,
    },
    {
      // load_seq numbers new rows sharing a key and load_ts; only those rows need a second window.
      label: 'insert changes (load_seq numbers several new rows of one key at one load_ts)',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.loadSeq}, ${COL.recordSource}, ${COL.hashdiff}, ${list(ctx, attrNames)})\n` +
        `SELECT vl_hk, ${COL.loadTs}, 0, ${COL.recordSource}, vl_hashdiff, ${list(ctx, attrNames)}\n` +
        `FROM ${newRow} AND vl_prev_ts IS DISTINCT FROM ${COL.loadTs} AND vl_next_ts IS DISTINCT FROM ${COL.loadTs}\n` +
        `UNION ALL\n` +
        `SELECT vl_hk, ${COL.loadTs}, row_number() OVER (PARTITION BY vl_hk, ${COL.loadTs} ORDER BY ${seqList()}vl_hashdiff) - 1,\n` +
        `  ${COL.recordSource}, vl_hashdiff, ${list(ctx, attrNames)}\n` +
        `FROM ${newRow} AND (vl_prev_ts = ${COL.loadTs} OR vl_next_ts = ${COL.loadTs})`,
    },
    // A table created by this load has an empty current state: nothing to forget.
    ...(creating(ctx)
      ? []
      : [
          {
            label: 'current state: forget the keys seen in this batch',
            sql:
              `DELETE FROM ${cur} AS c USING ${rows} AS r\n` +
              `WHERE r.vl_last AND r.vl_hk IS NOT NULL AND NOT r.vl_late AND ${key.matches('c', 'r.vl_hk')}`,
          },
        ]),
    {
      // The last row of a key in the batch carries its state, whether it was new, unchanged or a copy.
      label: 'current state: the last row of each key seen',
      sql:
        `INSERT INTO ${cur} (${key.columns.join(', ')}, load_ts, hashdiff)\n` +
        `SELECT ${key.values('vl_hk').join(', ')}, ${COL.loadTs}, vl_hashdiff FROM ${rows} WHERE vl_last AND vl_hk IS NOT NULL AND NOT vl_late`,
    },
    ...highWaterStatements(ctx, [staging], rows, false),
    ...dropTemp(ctx, TMP.rows),
  );
  return { statements };
}
