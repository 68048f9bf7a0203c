/**
 * Standard satellite load: insert-only rows (`hk_<parent>`, load_ts, load_seq, record_source,
 * hashdiff, attributes[, effective_from]).
 *
 * Which rows a satellite holds (the rule, whatever the order payloads arrive in): put a key's distinct
 * records in load_ts order (then the `sequence:` columns, then hashdiff); a record is a row of the
 * satellite when it is the key's first, when its hashdiff differs from the record before it, or when
 * (a copy of) the record before it arrived later than itself (a late payload became its predecessor). Arrival is
 * the load number that first read the record's landed object (vault_read_keys), kept across
 * --full-refresh. The rule only ever adds rows as more payloads arrive, so loading batch by batch and
 * --full-refresh give the same table (property-tested with shuffled arrival), and the version in
 * effect at any time (newest load_ts ≤ t) is the one the staging history says. Several different
 * records of one key at one load_ts are numbered load_seq 0, 1, … by (sequence, hashdiff) among all
 * of that landing's records, so a row's number never depends on which of them were changes.
 *
 * Cost: usually one batch of new rows, seeded per key by the current-state table (latest hashdiff and
 * load_ts per key), never the history. A key that gets a row older than its current state (a late
 * payload: slow upload, overlapping extracts, clock skew) is recomputed from its staging history —
 * a scan of staging, only when some batch row is late — and the rows the rule now holds that the
 * satellite lacks are inserted (the late version, and the record after it when that became a change:
 * `reinstated`).
 *
 * Accounting (batch rows): rows_read = skipped_null_keys + duplicates (same key, load_ts, sequence
 * and hashdiff as a record read before) + unchanged + (rows_inserted - reinstated); late_rows counts
 * the batch rows older than their key's current state (they are inserted or unchanged like any).
 */
import { ghostKey, hashDiffSql } from '../hashing.ts';
import { COL, currentStateRelation, GHOST_RECORD_SOURCE } from '../names.ts';
import type { SatelliteSpec } from '../types.ts';
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
  sqlType,
  stagingColumn,
  stagingMeta,
  stateKey,
  TMP,
  targetDdl,
  textOrder,
  timestampSql,
  type VaultPlan,
  type VaultStatement,
} from './common.ts';

const LATE = 'vl_late_keys';
const CLASSIFIED = 'vl_classified';

export function planSatellite(spec: SatelliteSpec, ctx: PlanContext, staging: StagingInput): VaultPlan {
  const attrs = spec.attributes.map((a) => stagingColumn(spec.name, staging, a, ctx));
  const seq = spec.sequence.map((c) => stagingColumn(spec.name, staging, c, ctx));
  const seqNames = seq.map((_, i) => `vl_seq_${i}`);
  const effective = spec.effectiveFrom ? attrs.find((a) => a.name === spec.effectiveFrom) : undefined;
  const meta = stagingMeta(spec.name, staging, ctx);
  const current = currentStateRelation(ctx.dialect, ctx.target, ctx.metaSchema);
  const target = rel(ctx, ctx.target);
  const cur = rel(ctx, current);
  const key = stateKey(ctx, 'hk');
  const hk = q(ctx, spec.parent.hashKey);
  const attrNames = spec.attributes;
  const rows = q(ctx, TMP.rows);
  const late = q(ctx, LATE);
  const classified = q(ctx, CLASSIFIED);
  // Ordering keys: a text sequence column and the hashdiff by code point on every engine.
  const seqCols = seqNames.map((n, i) => `${columnOrder(ctx, n, seq[i]!.type)}, `).join('');
  const hashdiffOrder = textOrder(ctx, 'vl_hashdiff');
  const ghost = lit(ctx, ghostKey(ctx.hashing));
  const effCol = effective ? [COL.effectiveFrom] : [];
  // What every relation of this load carries, in this order.
  const carried = [
    'vl_hk',
    'vl_hashdiff',
    ...seqNames,
    ...attrNames.map((a) => q(ctx, a)),
    ...effCol,
    COL.loadTs,
    COL.recordSource,
    'vl_arrival',
  ].join(', ');
  const hashed =
    `${parentKeySql(spec.name, spec.parent, staging, ctx)} AS vl_hk, ` +
    `${hashDiffSql(attrs, ctx.hashing, ctx.dialect, ctx.macros)} AS vl_hashdiff, ` +
    seq.map((c, i) => `${c.expression} AS ${seqNames[i]}, `).join('') +
    attrs.map((a) => `${a.expression} AS ${q(ctx, a.name)}, `).join('') +
    (effective ? `${timestampSql(ctx, effective)} AS ${COL.effectiveFrom}, ` : '') +
    `${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}, ${meta.arrival} AS vl_arrival`;
  const order = `${COL.loadTs}, ${seqCols}${hashdiffOrder}`;
  // A copy of the record before it: same key (the window's partition), load_ts, sequence and hashdiff.
  const sameAsPrevious = [
    `vl_prev_ts = ${COL.loadTs}`,
    ...seqNames.map((n) => `vl_prev_${n} IS NOT DISTINCT FROM ${n}`),
    'vl_prev_hd = vl_hashdiff',
  ].join(' AND ');

  const statements: VaultStatement[] = [
    ...prologue(ctx, [current]),
    ...targetDdl(ctx, [
      [spec.parent.hashKey, notNull(ctx, 'text')],
      [COL.loadTs, notNull(ctx, 'timestamp')],
      [COL.loadSeq, notNull(ctx, 'integer')],
      [COL.recordSource, notNull(ctx, 'text')],
      [COL.hashdiff, notNull(ctx, 'text')],
      ...attrs.map((a): [string, string] => [a.name, a.ddlType]),
      ...(effective ? [[COL.effectiveFrom, sqlType(ctx, 'timestamp')] as [string, string]] : []),
    ]),
    {
      label: 'current state: latest hashdiff per key',
      sql: `CREATE TABLE IF NOT EXISTS ${cur} (${key.ddl}, load_ts ${notNull(ctx, 'timestamp')}, hashdiff ${notNull(ctx, 'text')})`,
    },
  ];
  if (creating(ctx)) {
    statements.push({
      label: 'ghost record',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.loadSeq}, ${COL.recordSource}, ${COL.hashdiff}) ` +
        `VALUES (${ghost}, ${ghostTs(ctx)}, 0, ${lit(ctx, GHOST_RECORD_SOURCE)}, ${ghost})`,
    });
  }
  const notLate = `NOT EXISTS (SELECT 1 FROM ${late} AS l WHERE l.vl_hk = r.vl_hk)`;
  // One temporary table holds the batch, then each key's current state (seed) and, for late keys,
  // their staging history in place of their batch rows: one copy of the batch, not several.
  statements.push(
    {
      label: 'batch: staging rows of objects not read yet, hashed',
      sql: `CREATE TEMPORARY TABLE ${rows} AS\nSELECT 'batch' AS vl_origin, ${lit(ctx, spec.source)} AS vl_source, ${hashed}\nFROM ${meta.from}`,
    },
    sourceStatsStatement(ctx),
    {
      label: 'late keys: a batch row at or before the key’s current state',
      sql:
        `CREATE TEMPORARY TABLE ${late} AS\n` +
        `SELECT r.vl_hk, count(*) AS vl_late_rows FROM ${rows} AS r JOIN ${cur} AS c ON ${key.matches('c', 'r.vl_hk')}\n` +
        `WHERE r.${COL.loadTs} <= c.load_ts GROUP BY r.vl_hk`,
    },
    { label: 'late keys: how many', read: 'gate', sql: `SELECT count(*) AS n FROM ${late}` },
    // A table created by this load has an empty current state: no seeds to add.
    ...(creating(ctx)
      ? []
      : [
          {
            label: 'records to order: each batch key’s current state before its batch rows',
            sql:
              `INSERT INTO ${rows}\n` +
              `SELECT 'seed', ${lit(ctx, spec.source)}, k.vl_hk, c.hashdiff, ` +
              seqNames.map(() => 'NULL, ').join('') +
              attrs.map(() => 'NULL, ').join('') +
              (effective ? 'NULL, ' : '') +
              `c.load_ts, NULL, 0\n` +
              `FROM (SELECT DISTINCT vl_hk FROM ${rows} AS r WHERE r.vl_hk IS NOT NULL AND ${notLate}) AS k\n` +
              `JOIN ${cur} AS c ON ${key.matches('c', 'k.vl_hk')}`,
          },
        ]),
    {
      label: 'late keys: their batch rows make way for their whole staging history',
      onlyIf: 'gate',
      sql: `DELETE FROM ${rows} WHERE vl_hk IN (SELECT vl_hk FROM ${late})`,
    },
    {
      label: 'late keys: their whole staging history (objects read before keep their arrival)',
      onlyIf: 'gate',
      sql:
        `INSERT INTO ${rows}\n` +
        `SELECT CASE WHEN h.vl_unread THEN 'batch' ELSE 'history' END, ${lit(ctx, spec.source)}, ${carried} FROM (\n` +
        `  SELECT ${meta.unread} AS vl_unread, ${hashed}\n  FROM ${meta.source}\n` +
        `) AS h WHERE EXISTS (SELECT 1 FROM ${late} AS l WHERE l.vl_hk = h.vl_hk)`,
    },
    {
      // Copies of a record (same key, load_ts, sequence, hashdiff) count once (the first to arrive
      // is the row; the next record compares with the latest copy's arrival): one window over each
      // key's records in load_ts order classifies everything.
      label: 'classify: duplicate, unchanged or a row of the satellite',
      sql:
        `CREATE TEMPORARY TABLE ${classified} AS\n` +
        `SELECT ${carried}, vl_origin, vl_last,\n` +
        `  vl_prev_ts IS DISTINCT FROM ${COL.loadTs} AND vl_next_ts IS DISTINCT FROM ${COL.loadTs} AS vl_single,\n` +
        `  CASE WHEN vl_origin = 'seed' THEN 'seed'\n` +
        `  WHEN ${sameAsPrevious} THEN 'duplicate'\n` +
        `  WHEN vl_prev_hd IS NULL OR vl_prev_hd <> vl_hashdiff OR vl_prev_arrival > vl_arrival THEN 'new'\n` +
        `  ELSE 'unchanged' END AS vl_status\n` +
        `FROM (\n` +
        `  SELECT u.*, lag(${COL.loadTs}) OVER w AS vl_prev_ts, lead(${COL.loadTs}) OVER w AS vl_next_ts,\n` +
        seqNames.map((n) => `    lag(${n}) OVER w AS vl_prev_${n},\n`).join('') +
        `    lag(vl_hashdiff) OVER w AS vl_prev_hd, lag(vl_arrival) OVER w AS vl_prev_arrival,\n` +
        `    lead(vl_hashdiff) OVER w IS NULL AS vl_last\n` +
        `  FROM ${rows} AS u WHERE u.vl_hk IS NOT NULL\n` +
        // Copies of a record sit together, the first to arrive first: a copy follows its original.
        `  WINDOW w AS (PARTITION BY vl_hk ORDER BY ${order}, vl_arrival, ${textOrder(ctx, COL.recordSource)}` +
        attrs.map((a) => `, ${columnOrder(ctx, q(ctx, a.name), a.type)}`).join('') +
        ')\n' +
        `) AS x`,
    },
    {
      label: 'late keys: rows the satellite already holds are not inserted again',
      onlyIf: 'gate',
      sql:
        `UPDATE ${classified} SET vl_status = 'present'\n` +
        `WHERE vl_status = 'new' AND EXISTS (SELECT 1 FROM ${late} AS l WHERE l.vl_hk = ${classified}.vl_hk)\n` +
        `  AND EXISTS (SELECT 1 FROM ${target} AS t WHERE t.${hk} = ${classified}.vl_hk ` +
        `AND t.${COL.loadTs} = ${classified}.${COL.loadTs} AND t.${COL.hashdiff} = ${classified}.vl_hashdiff)`,
    },
    {
      label: 'counts',
      read: 'stats',
      sql:
        `SELECT (SELECT count(*) FROM ${rows} WHERE vl_origin = 'batch') AS rows_read,\n` +
        `  (SELECT count(*) - count(vl_hk) FROM ${rows} WHERE vl_origin = 'batch') AS skipped_null_keys,\n` +
        `  0 AS skipped_late_rows,\n` +
        [
          `vl_origin = 'batch' AND vl_status IN ('duplicate', 'present'):duplicates`,
          `vl_origin = 'batch' AND vl_status = 'unchanged':unchanged`,
          `vl_status = 'new':rows_inserted`,
          `vl_origin = 'history' AND vl_status = 'new':reinstated`,
        ]
          .map((pair) => {
            const [condition, name] = pair.split(':');
            return `  coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0) AS ${name}`;
          })
          .join(',\n') +
        `,\n  (SELECT coalesce(sum(vl_late_rows), 0) FROM ${late}) AS late_rows\nFROM ${classified}`,
    },
    {
      label: 'insert the new rows (load_seq numbers several records of one key at one load_ts)',
      sql:
        `INSERT INTO ${target} (${hk}, ${COL.loadTs}, ${COL.loadSeq}, ${COL.recordSource}, ${COL.hashdiff}, ${list(ctx, [...attrNames, ...effCol])})\n` +
        `SELECT vl_hk, ${COL.loadTs}, 0, ${COL.recordSource}, vl_hashdiff, ${list(ctx, [...attrNames, ...effCol])}\n` +
        `FROM ${classified} WHERE vl_status = 'new' AND vl_single\n` +
        `UNION ALL\n` +
        // Several records of a key at one load_ts: numbered among all of them (so a row's number never
        // depends on which were changes); only these rows pay for the second window.
        `SELECT vl_hk, ${COL.loadTs}, vl_rank, ${COL.recordSource}, vl_hashdiff, ${list(ctx, [...attrNames, ...effCol])} FROM (\n` +
        `  SELECT c.*, dense_rank() OVER (PARTITION BY vl_hk, ${COL.loadTs} ORDER BY ${seqCols}${hashdiffOrder}) - 1 AS vl_rank\n` +
        `  FROM ${classified} AS c WHERE NOT vl_single AND vl_origin <> 'seed'\n` +
        `) AS m WHERE vl_status = 'new'`,
    },
    changeLogStatement(ctx, classified, `vl_status = 'new'`),
    // A table created by this load has an empty current state: nothing to forget.
    ...(creating(ctx)
      ? []
      : [
          {
            label: 'current state: forget the keys whose last record changed',
            sql:
              `DELETE FROM ${cur} AS c USING ${classified} AS r\n` +
              `WHERE r.vl_last AND r.vl_origin <> 'seed' AND ${key.matches('c', 'r.vl_hk')}`,
          },
        ]),
    {
      // The last record of a key carries its state, whether it was new, unchanged or a copy.
      label: 'current state: the last record of each key',
      sql:
        `INSERT INTO ${cur} (${key.columns.join(', ')}, load_ts, hashdiff)\n` +
        `SELECT ${key.values('vl_hk').join(', ')}, ${COL.loadTs}, vl_hashdiff FROM ${classified} WHERE vl_last AND vl_origin <> 'seed'`,
    },
    ...lookupIndexStatements(ctx, current, key.columns),
    ...highWaterStatements(ctx, [staging], rows, false),
    ...dropTemp(ctx, TMP.rows, LATE, CLASSIFIED),
  );
  return { statements };
}
