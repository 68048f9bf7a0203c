/**
 * The load shared by hubs and links: one row per hash key, the first to arrive winning (the earliest
 * arrival — the load that first read its object —, then the earliest load_ts, the lowest
 * record_source, the key columns), only keys the table does not have yet. Ordering by arrival first
 * makes a key's row the one the vault saw first, so a payload committed late with an older load_ts
 * does not make --full-refresh differ from loading batch by batch. The batch is the staging rows of
 * objects not read yet, so a load reads new rows plus one probe of the target's key column.
 *
 * Accounting (rows of the batch): rows_read = skipped_null_keys + duplicates (further rows of a key
 * in this batch) + unchanged (rows of keys already in the table) + rows_inserted.
 */
import { COL } from '../names.ts';
import {
  changeLogStatement,
  columnOrder,
  dropTemp,
  highWaterStatements,
  list,
  lookupIndexStatements,
  notNull,
  type PlanContext,
  prologue,
  q,
  rel,
  type StagingInput,
  sourceStatsStatement,
  TMP,
  targetDdl,
  textOrder,
  type VaultPlan,
} from './common.ts';

export interface FirstSeenInput {
  /** The entity's hash key column. */
  hashKey: string;
  /**
   * Other columns copied from the winning row (business keys, hub keys): name, type for CREATE
   * TABLE, and the value's type where known (text values order by code point).
   */
  columns: [name: string, ddlType: string, valueType: string | undefined][];
  /** One SELECT per source producing vl_source, vl_hk, the columns, load_ts, record_source. */
  selects: string[];
  sources: StagingInput[];
}

export function planFirstSeen(ctx: PlanContext, input: FirstSeenInput): VaultPlan {
  const target = rel(ctx, ctx.target);
  const names = input.columns.map(([n]) => n);
  const tableColumns: [string, string][] = [
    [input.hashKey, notNull(ctx, 'text')],
    ...input.columns.map(([name, ddlType]): [string, string] => [name, ddlType]),
    [COL.loadTs, notNull(ctx, 'timestamp')],
    [COL.recordSource, notNull(ctx, 'text')],
  ];
  const rows = q(ctx, TMP.rows);
  const next = q(ctx, TMP.next);
  return {
    statements: [
      ...prologue(ctx),
      ...targetDdl(ctx, tableColumns),
      {
        label: 'batch: staging rows above the high-water marks, hashed',
        sql: `CREATE TEMPORARY TABLE ${rows} AS\n${input.selects.join('\nUNION ALL\n')}`,
      },
      sourceStatsStatement(ctx),
      {
        label: 'new keys: first to arrive per key (arrival, load_ts, record_source)',
        sql:
          `CREATE TEMPORARY TABLE ${next} AS\n` +
          `SELECT vl_hk, ${list(ctx, names)}${names.length ? ', ' : ''}${COL.loadTs}, ${COL.recordSource} FROM (\n` +
          `  SELECT r.*, row_number() OVER (PARTITION BY r.vl_hk ORDER BY r.vl_arrival, r.${COL.loadTs}, ${textOrder(ctx, `r.${COL.recordSource}`)}` +
          input.columns.map(([name, , type]) => `, ${columnOrder(ctx, `r.${q(ctx, name)}`, type)}`).join('') +
          `) AS vl_rank\n` +
          `  FROM ${rows} AS r\n` +
          `  WHERE r.vl_hk IS NOT NULL\n` +
          `    AND NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE t.${q(ctx, input.hashKey)} = r.vl_hk)\n` +
          `) AS ranked\nWHERE vl_rank = 1`,
      },
      {
        label: 'counts',
        read: 'stats',
        sql:
          `SELECT count(*) AS rows_read, count(*) - count(vl_hk) AS skipped_null_keys, 0 AS skipped_late_rows,\n` +
          `  count(vl_hk) - count(DISTINCT vl_hk) AS duplicates,\n` +
          `  count(DISTINCT vl_hk) - (SELECT count(*) FROM ${next}) AS unchanged,\n` +
          `  (SELECT count(*) FROM ${next}) AS rows_inserted\nFROM ${rows}`,
      },
      {
        label: 'insert new keys',
        sql:
          `INSERT INTO ${target} (${list(ctx, [input.hashKey, ...names, COL.loadTs, COL.recordSource])})\n` +
          `SELECT vl_hk, ${list(ctx, names)}${names.length ? ', ' : ''}${COL.loadTs}, ${COL.recordSource} FROM ${next}`,
      },
      ...lookupIndexStatements(ctx, ctx.target, [input.hashKey]),
      changeLogStatement(ctx, next, 'TRUE'),
      ...highWaterStatements(ctx, input.sources, rows, true),
      ...dropTemp(ctx, TMP.rows, TMP.next),
    ],
  };
}
