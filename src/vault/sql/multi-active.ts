/**
 * Multi-active satellite load: a key has a *set* of rows per load_ts, told apart by the dependent
 * child key (`child_key:`). The set is compared as a whole with the key's current set (a set hash
 * over sorted child key text and hashdiff, kept in the current-state table): a set that grows,
 * shrinks or changes inserts the whole new set; an unchanged set adds nothing. Rows: `hk_<parent>`,
 * load_ts, record_source, hashdiff, child key columns, attributes.
 *
 * A key that vanishes from the source entirely cannot be seen here (its set is simply absent); use a
 * record tracking satellite on a full-snapshot source for that.
 *
 * Accounting: rows_read = skipped_null_keys + skipped_late_rows + duplicates (identical rows within a
 * set) + unchanged (rows of sets equal to the previous set) + rows_inserted.
 */
import { ghostKey, hashDiffSql } from '../hashing.ts';
import { COL, currentStateRelation, GHOST_RECORD_SOURCE } from '../names.ts';
import type { MultiActiveSatelliteSpec } from '../types.ts';
import {
  changeLogStatement,
  columnOrder,
  creating,
  dropTemp,
  ghostTs,
  highWaterStatements,
  list,
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
  stagingColumn,
  stagingMeta,
  stateKey,
  TMP,
  targetDdl,
  textOrder,
  type VaultPlan,
  type VaultStatement,
} from './common.ts';

export function planMultiActiveSatellite(
  spec: MultiActiveSatelliteSpec,
  ctx: PlanContext,
  staging: StagingInput,
): VaultPlan {
  const attrs = spec.attributes.map((a) => stagingColumn(spec.name, staging, a, ctx));
  const child = spec.childKey.map((c) => stagingColumn(spec.name, staging, c, ctx));
  const meta = stagingMeta(spec.name, staging, ctx);
  const current = currentStateRelation(ctx.dialect, ctx.target, ctx.metaSchema);
  const target = rel(ctx, ctx.target);
  const cur = rel(ctx, current);
  const key = stateKey(ctx, 'hk');
  const hk = q(ctx, spec.parent.hashKey);
  const columns = [...spec.childKey, ...spec.attributes];
  const rows = q(ctx, TMP.rows);
  const next = q(ctx, TMP.next);
  const ghost = lit(ctx, ghostKey(ctx.hashing));
  const token = lit(ctx, ctx.hashing.nullToken);
  const delimiter = lit(ctx, ctx.hashing.delimiter);
  const childText = child
    .map(
      (c) =>
        `coalesce(nullif(${ctx.dialect.trimText(ctx.dialect.canonicalText(c.expression, c.type))}, ''), ${token})`,
    )
    .join(` || ${delimiter} || `);

  const statements: VaultStatement[] = [
    ...prologue(ctx, [current]),
    ...targetDdl(ctx, [
      [spec.parent.hashKey, notNull(ctx, 'text')],
      [COL.loadTs, notNull(ctx, 'timestamp')],
      [COL.recordSource, notNull(ctx, 'text')],
      [COL.hashdiff, notNull(ctx, 'text')],
      ...[...child, ...attrs].map((a): [string, string] => [a.name, a.ddlType]),
    ]),
    {
      label: 'current state: latest set hash per key',
      sql: `CREATE TABLE IF NOT EXISTS ${cur} (${key.ddl}, load_ts ${notNull(ctx, 'timestamp')}, set_hash ${notNull(ctx, 'text')})`,
    },
  ];
  if (creating(ctx)) {
    statements.push({
      label: 'ghost record',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.recordSource}, ${COL.hashdiff}) ` +
        `VALUES (${ghost}, ${ghostTs(ctx)}, ${lit(ctx, GHOST_RECORD_SOURCE)}, ${ghost})`,
    });
  }
  statements.push(
    {
      label: 'batch: staging rows above the high-water mark, hashed',
      sql:
        `CREATE TEMPORARY TABLE ${rows} AS\n` +
        `SELECT ${lit(ctx, spec.source)} AS vl_source, ${parentKeySql(spec.name, spec.parent, staging, ctx)} AS vl_hk,\n` +
        `  ${hashDiffSql(attrs, ctx.hashing, ctx.dialect, ctx.macros)} AS vl_hashdiff,\n` +
        `  ${childText} AS vl_ck,\n` +
        `  ${[...child, ...attrs].map((a) => `${a.expression} AS ${q(ctx, a.name)}`).join(', ')},\n` +
        `  ${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}\nFROM ${meta.from}`,
    },
    sourceStatsStatement(ctx),
    {
      label: 'classify rows and compare each set with the set before it',
      sql:
        `CREATE TEMPORARY TABLE ${next} AS\n` +
        `WITH x AS (\n` +
        `  SELECT r.*, c.set_hash AS vl_cur_set, coalesce(r.${COL.loadTs} <= c.load_ts, FALSE) AS vl_late,\n` +
        `    row_number() OVER (PARTITION BY r.vl_hk, r.${COL.loadTs}, r.vl_ck, r.vl_hashdiff ` +
        `ORDER BY ${textOrder(ctx, `r.${COL.recordSource}`)}` +
        [...child, ...attrs].map((c) => `, ${columnOrder(ctx, `r.${q(ctx, c.name)}`, c.type)}`).join('') +
        ') AS vl_copy\n' +
        `  FROM ${rows} AS r LEFT JOIN ${cur} AS c ON ${key.matches('c', 'r.vl_hk')}\n` +
        `  WHERE r.vl_hk IS NOT NULL\n` +
        `), sets AS (\n` +
        `  SELECT vl_hk, ${COL.loadTs}, max(vl_cur_set) AS vl_cur_set,\n` +
        `    ${ctx.dialect.hashText(`string_agg(vl_ck || ${delimiter} || vl_hashdiff, ';' ORDER BY ${textOrder(ctx, 'vl_ck')}, ${textOrder(ctx, 'vl_hashdiff')})`, ctx.hashing.algorithm)} AS vl_set\n` +
        `  FROM x WHERE NOT vl_late AND vl_copy = 1 GROUP BY vl_hk, ${COL.loadTs}\n` +
        `), changes AS (\n` +
        `  SELECT s.*, coalesce(lag(vl_set) OVER (PARTITION BY vl_hk ORDER BY ${COL.loadTs}), vl_cur_set) AS vl_prev_set FROM sets AS s\n` +
        `)\n` +
        `SELECT x.*, ch.vl_set, CASE WHEN x.vl_late THEN 'late' WHEN x.vl_copy > 1 THEN 'duplicate'\n` +
        `  WHEN ch.vl_set = ch.vl_prev_set THEN 'unchanged' ELSE 'new' END AS vl_status\n` +
        `FROM x LEFT JOIN changes AS ch ON ch.vl_hk = x.vl_hk AND ch.${COL.loadTs} = x.${COL.loadTs}`,
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
        `  coalesce(sum(CASE WHEN vl_status = 'new' THEN 1 ELSE 0 END), 0) AS rows_inserted,\n` +
        `  count(DISTINCT CASE WHEN vl_status = 'new' THEN vl_hk || '@' || ${ctx.dialect.timestampText(COL.loadTs)} END) AS sets_inserted\nFROM ${next}`,
    },
    {
      label: 'insert changed sets',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.recordSource}, ${COL.hashdiff}, ${list(ctx, columns)})\n` +
        `SELECT vl_hk, ${COL.loadTs}, ${COL.recordSource}, vl_hashdiff, ${list(ctx, columns)}\n` +
        `FROM ${next} WHERE vl_status = 'new'`,
    },
    changeLogStatement(ctx, next, `vl_status = 'new'`),
    {
      label: 'current state: forget changed keys',
      sql: `DELETE FROM ${cur} AS c USING ${next} AS n WHERE n.vl_status = 'new' AND ${key.matches('c', 'n.vl_hk')}`,
    },
    {
      label: 'current state: newest set of changed keys',
      sql:
        `INSERT INTO ${cur} (${key.columns.join(', ')}, load_ts, set_hash)\n` +
        `SELECT ${key.values('vl_hk').join(', ')}, ${COL.loadTs}, vl_set FROM (\n` +
        `  SELECT vl_hk, ${COL.loadTs}, vl_set, row_number() OVER (PARTITION BY vl_hk ORDER BY ${COL.loadTs} DESC) AS vl_rank\n` +
        `  FROM (SELECT DISTINCT vl_hk, ${COL.loadTs}, vl_set FROM ${next} WHERE vl_status = 'new') AS changed\n` +
        `) AS latest WHERE vl_rank = 1`,
    },
    ...lookupIndexStatements(ctx, current, key.columns),
    ...highWaterStatements(ctx, [staging], rows, false),
    ...dropTemp(ctx, TMP.rows, TMP.next),
  );
  return { statements };
}
