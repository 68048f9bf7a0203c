/**
 * PIT (point-in-time) table: for every parent key and every as-of timestamp up to the build time, the
 * key and load_ts (and load_seq, where the satellite has one; effective_from, where it declares one)
 * of each satellite's row in effect — or the ghost record's where none is in effect yet (the Data
 * Vault convention: a key has a row at every as-of, also before its first load). Rows: `hk_<parent>`,
 * as_of_ts, then per satellite `<sat>_hk`, `<sat>_load_ts`[, `<sat>_load_seq`][, `<sat>_effective_from`].
 *
 * In effect at t: among the satellite rows of the key loaded by t (load_ts ≤ t), the newest by
 * (effective_from, load_ts, load_seq) — effective_from only for satellites that declare the source's
 * own clock, so a vintage landed after a newer one does not take over.
 *
 * What a build computes (nothing else is touched):
 * - as-of timestamps not in the table yet — after its newest one, or before it (a backfill) — for
 *   every parent key;
 * - for keys the parent or a satellite inserted rows for since the PIT's last build (the change log,
 *   vaultline_meta.vault_changes), the existing as-of rows from the oldest load_ts inserted on: a new
 *   key gets its ghost rows for the earlier as-ofs, a late version moves the rows it now is in effect for;
 * - as-of timestamps the as-of model no longer has are deleted.
 * Recomputed rows are deleted and inserted again in the load's transaction, so a same-day rebuild
 * never leaves a stale copy of a snapshot.
 *
 * Cost: the new grid (keys × new as-ofs plus the recomputed rows) and the satellite rows loaded after
 * the newest as-of; the pointers in effect at that as-of come from the PIT's own rows. A key's older
 * satellite rows are read only when the key is recomputed, all of them only for a backfill.
 */
import { ghostKey } from '../hashing.ts';
import { CHANGES_TABLE, COL, entityKey, LOAD_STATE_TABLE } from '../names.ts';
import type { PitSatelliteRef, PitSpec, Relation } from '../types.ts';
import {
  creating,
  dropTemp,
  ghostTs,
  lit,
  notNull,
  type PlanContext,
  prologue,
  q,
  rel,
  sqlType,
  targetDdl,
  textOrder,
  tsLiteral,
  type VaultPlan,
  type VaultStatement,
} from './common.ts';

export interface PitSatelliteInput {
  name: string;
  relation: Relation;
  /** The satellite's hash key column (its parent's). */
  hashKey: string;
  /** The satellite numbers rows sharing a load_ts (standard and effectivity satellites). */
  hasLoadSeq: boolean;
  /** The satellite has an `effective_from` column (the source's own version clock). */
  hasEffectiveFrom?: boolean;
}

/** A PIT's satellite as the SQL generator needs it (run and compile both build it here). */
export function pitSatelliteInput(
  spec: PitSpec,
  sat: PitSatelliteRef,
  relation: Relation,
): PitSatelliteInput {
  return {
    name: sat.name,
    relation,
    hashKey: spec.parent.hashKey,
    hasLoadSeq: sat.kind === 'satellite' || sat.kind === 'effectivity_satellite',
    hasEffectiveFrom: sat.effectiveFrom === true,
  };
}

export type PitAsOfInput =
  /** Every midnight (UTC) from `from` to `to`, both included. */
  | { kind: 'daily'; from: string; to: string }
  /** The distinct timestamps of a model's column up to `to`. */
  | { kind: 'model'; relation: Relation; column: string; to: string };

/** The change log range of one input (parent or satellite) this build consumes: (after, upTo]. */
export interface PitChanges {
  entity: string;
  after: number;
  upTo: number;
}

export interface PitInputs {
  parent: Relation;
  satellites: PitSatelliteInput[];
  /** Undefined when there is nothing to compute (the parent has no rows yet). */
  asOf?: PitAsOfInput;
  /** The parent's range first, then the satellites'. */
  changes: PitChanges[];
}

const ASOF = 'vl_asof';
const OLD = 'vl_asof_old';
const NEW = 'vl_asof_new';
const CHANGED = 'vl_changed';
const GRID = 'vl_grid';
/** The PIT's load state keeps its newest as-of under this source name. */
export const PIT_AS_OF_SOURCE = '(as_of)';
/** The PIT's load state keeps, per input, the last change-log load it consumed under this source. */
export const PIT_CHANGES_SOURCE = (entity: string) => `changes:${entity}`;

export function pitColumns(sat: PitSatelliteInput): {
  hk: string;
  loadTs: string;
  loadSeq?: string;
  effectiveFrom?: string;
} {
  return {
    hk: `${sat.name}_hk`,
    loadTs: `${sat.name}_load_ts`,
    ...(sat.hasLoadSeq ? { loadSeq: `${sat.name}_load_seq` } : {}),
    ...(sat.hasEffectiveFrom ? { effectiveFrom: `${sat.name}_${COL.effectiveFrom}` } : {}),
  };
}

export function planPit(spec: PitSpec, ctx: PlanContext, input: PitInputs): VaultPlan {
  const hk = q(ctx, spec.parent.hashKey);
  const target = rel(ctx, ctx.target);
  const ghost = lit(ctx, ghostKey(ctx.hashing));
  const columns: [string, string][] = [
    [spec.parent.hashKey, notNull(ctx, 'text')],
    [COL.asOf, notNull(ctx, 'timestamp')],
  ];
  for (const sat of input.satellites) {
    const c = pitColumns(sat);
    columns.push([c.hk, notNull(ctx, 'text')], [c.loadTs, notNull(ctx, 'timestamp')]);
    if (c.loadSeq) columns.push([c.loadSeq, notNull(ctx, 'integer')]);
    if (c.effectiveFrom) columns.push([c.effectiveFrom, sqlType(ctx, 'timestamp')]);
  }
  const statements: VaultStatement[] = [...prologue(ctx), ...targetDdl(ctx, columns)];
  const asOf = input.asOf;
  if (!asOf) {
    statements.push({
      label: 'counts',
      read: 'stats',
      sql: 'SELECT 0 AS rows_read, 0 AS rows_inserted, 0 AS as_of_added, 0 AS rows_recomputed, 0 AS as_of_removed',
    });
    return { statements };
  }
  const asOfSql = q(ctx, ASOF);
  const old = q(ctx, OLD);
  const fresh = q(ctx, NEW);
  const changed = q(ctx, CHANGED);
  const grid = q(ctx, GRID);
  const lastAsOf = `(SELECT max(${COL.asOf}) FROM ${old})`;
  const timestamp = sqlType(ctx, 'timestamp');
  // generate_series over timestamps is a table function in both DuckDB and PostgreSQL; its one
  // column is named after it.
  const desired =
    asOf.kind === 'daily'
      ? `SELECT CAST(generate_series AS ${timestamp}) AS ${COL.asOf} FROM generate_series(${tsLiteral(ctx, asOf.from)}, ${tsLiteral(ctx, asOf.to)}, INTERVAL '1 day')`
      : `SELECT DISTINCT CAST(m.${q(ctx, asOf.column)} AS ${timestamp}) AS ${COL.asOf} FROM ${rel(ctx, asOf.relation)} AS m\n` +
        `WHERE m.${q(ctx, asOf.column)} IS NOT NULL AND CAST(m.${q(ctx, asOf.column)} AS ${timestamp}) <= ${tsLiteral(ctx, asOf.to)}`;
  const changes = rel(ctx, { schema: ctx.metaSchema, name: CHANGES_TABLE });
  const [parentChanges, ...satChanges] = input.changes;
  const changeSelects = [
    ...(parentChanges
      ? [
          // A new parent key needs a row at every as-of: from the beginning of time.
          `SELECT hk AS vl_hk, ${ghostTs(ctx)} AS vl_from FROM ${changes} WHERE ${changeRange(ctx, parentChanges)}`,
        ]
      : []),
    ...satChanges.map(
      (c) => `SELECT hk AS vl_hk, first_load_ts AS vl_from FROM ${changes} WHERE ${changeRange(ctx, c)}`,
    ),
  ];
  const temps = [ASOF, OLD, NEW, CHANGED, GRID, ...input.satellites.map((_, i) => `vl_pit_${i}`)];
  statements.push(
    {
      label: 'as-of timestamps up to the build time',
      sql: `CREATE TEMPORARY TABLE ${asOfSql} AS\n${desired}`,
    },
    {
      label: 'as-of timestamps in the table',
      sql: creating(ctx)
        ? `CREATE TEMPORARY TABLE ${old} AS SELECT ${COL.asOf} FROM ${asOfSql} WHERE FALSE`
        : `CREATE TEMPORARY TABLE ${old} AS SELECT DISTINCT ${COL.asOf} FROM ${target}`,
    },
    {
      label: 'as-of timestamps to add (after the newest, or a backfill before it)',
      sql:
        `CREATE TEMPORARY TABLE ${fresh} AS SELECT ${COL.asOf} FROM ${asOfSql} AS a\n` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${old} AS o WHERE o.${COL.asOf} = a.${COL.asOf})`,
    },
    {
      label: 'keys the parent or a satellite inserted rows for since the last build, and from when',
      sql:
        `CREATE TEMPORARY TABLE ${changed} AS\n` +
        `SELECT c.vl_hk, min(c.vl_from) AS vl_from FROM (\n  ${changeSelects.join('\n  UNION ALL\n  ')}\n) AS c\n` +
        `JOIN ${rel(ctx, input.parent)} AS p ON p.${hk} = c.vl_hk\n` +
        `WHERE c.vl_from <= ${lastAsOf} GROUP BY c.vl_hk`,
    },
    {
      label: 'rows to compute: every key at a new as-of; changed keys at the as-ofs they affect',
      sql:
        `CREATE TEMPORARY TABLE ${grid} AS\n` +
        `SELECT p.${hk} AS vl_hk, a.${COL.asOf} FROM ${rel(ctx, input.parent)} AS p CROSS JOIN ${fresh} AS a\n` +
        `UNION ALL\n` +
        `SELECT c.vl_hk, o.${COL.asOf} FROM ${changed} AS c JOIN ${old} AS o ON o.${COL.asOf} >= c.vl_from\n` +
        `WHERE EXISTS (SELECT 1 FROM ${asOfSql} AS a WHERE a.${COL.asOf} = o.${COL.asOf})`,
    },
    {
      label: 'rows to recompute: their old copies go',
      sql:
        `DELETE FROM ${target} AS t USING ${grid} AS g\n` +
        `WHERE t.${hk} = g.vl_hk AND t.${COL.asOf} = g.${COL.asOf}`,
    },
    {
      label: 'history needed: a backfill or a changed key',
      read: 'gate',
      sql: `SELECT (SELECT count(*) FROM ${fresh} WHERE ${COL.asOf} < ${lastAsOf}) + (SELECT count(*) FROM ${changed}) AS n`,
    },
  );
  input.satellites.forEach((sat, i) => {
    const c = pitColumns(sat);
    const ptr = q(ctx, `vl_pit_${i}_ptr`);
    temps.push(`vl_pit_${i}_ptr`);
    // One text that sorts as (effective_from, load_ts, load_seq) do: timestampText keeps text order.
    const order = (eff: string, loadTs: string, seq: string) =>
      `coalesce(${ctx.dialect.timestampText(eff)}, '0001-01-01 00:00:00') || ' ' || ${ctx.dialect.timestampText(loadTs)} || ' ' || lpad(CAST(${seq} AS ${sqlType(ctx, 'text')}), 10, '0')`;
    const eff = sat.hasEffectiveFrom ? COL.effectiveFrom : 'NULL';
    const seq = sat.hasLoadSeq ? COL.loadSeq : '0';
    // Rows of a multi-active set or a status share one pointer per load_ts.
    const satRows = (where: string) =>
      `SELECT ${q(ctx, sat.hashKey)} AS vl_hk, ${COL.loadTs} AS vl_ts, ${order(eff, COL.loadTs, seq)} AS vl_order, ` +
      `${COL.loadTs} AS vl_load_ts, ${seq} AS vl_load_seq, ${eff} AS vl_eff\n` +
      `  FROM ${rel(ctx, sat.relation)} WHERE ${where}` +
      (sat.hasLoadSeq ? '' : `\n  GROUP BY ${q(ctx, sat.hashKey)}, ${COL.loadTs}`);
    const maxGrid = `(SELECT max(${COL.asOf}) FROM ${grid})`;
    const base = creating(ctx)
      ? ''
      : `  UNION ALL\n` +
        `  SELECT ${hk}, ${lastAsOf}, ${order(c.effectiveFrom ? q(ctx, c.effectiveFrom) : 'NULL', q(ctx, c.loadTs), c.loadSeq ? q(ctx, c.loadSeq) : '0')}, ` +
        `${q(ctx, c.loadTs)}, ${c.loadSeq ? q(ctx, c.loadSeq) : '0'}, ${c.effectiveFrom ? q(ctx, c.effectiveFrom) : 'NULL'}\n` +
        `  FROM ${target} WHERE ${COL.asOf} = ${lastAsOf} AND ${q(ctx, c.loadTs)} > ${ghostTs(ctx)}\n`;
    statements.push(
      {
        label: `rows of ${sat.name} loaded after the newest as-of, and the pointers in effect at it`,
        sql:
          `CREATE TEMPORARY TABLE ${ptr} AS\n` +
          `SELECT * FROM (\n  ${satRows(`${COL.loadTs} > coalesce(${lastAsOf}, ${ghostTs(ctx)}) AND ${COL.loadTs} <= ${maxGrid}`)}\n` +
          `${base}) AS p`,
      },
      {
        label: `older rows of ${sat.name} for a backfill or the changed keys`,
        onlyIf: 'gate',
        sql: `INSERT INTO ${ptr}\n${satRows(
          `${COL.loadTs} > ${ghostTs(ctx)} AND ${COL.loadTs} <= ${lastAsOf} AND (` +
            `EXISTS (SELECT 1 FROM ${fresh} WHERE ${COL.asOf} < ${lastAsOf}) OR ` +
            `${q(ctx, sat.hashKey)} IN (SELECT vl_hk FROM ${changed}))`,
        )}`,
      },
      {
        label: `rows of ${sat.name} in effect at each as-of to compute`,
        sql:
          `CREATE TEMPORARY TABLE ${q(ctx, `vl_pit_${i}`)} AS\n` +
          `WITH timeline AS (\n` +
          `  SELECT vl_hk, vl_ts, 0 AS vl_kind, vl_order FROM ${ptr}\n` +
          `  UNION ALL\n` +
          `  SELECT vl_hk, ${COL.asOf}, 1, NULL FROM ${grid}\n` +
          `), carried AS (\n` +
          // The order text sorts as (effective_from, load_ts, load_seq): its running max per key is the
          // row in effect at each point of the timeline.
          `  SELECT vl_hk, vl_ts, vl_kind, max(${textOrder(ctx, 'vl_order')}) OVER (PARTITION BY vl_hk ORDER BY vl_ts, vl_kind ` +
          `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS vl_order FROM timeline\n` +
          `)\n` +
          `SELECT c.vl_hk, c.vl_ts AS ${COL.asOf}, p.vl_load_ts, p.vl_load_seq, p.vl_eff\n` +
          `FROM carried AS c LEFT JOIN (SELECT DISTINCT vl_hk, vl_order, vl_load_ts, vl_load_seq, vl_eff FROM ${ptr}) AS p\n` +
          `  ON p.vl_hk = c.vl_hk AND p.vl_order = c.vl_order\n` +
          `WHERE c.vl_kind = 1`,
      },
    );
  });
  const satColumns = input.satellites.flatMap((sat) => {
    const c = pitColumns(sat);
    return [c.hk, c.loadTs, ...(c.loadSeq ? [c.loadSeq] : []), ...(c.effectiveFrom ? [c.effectiveFrom] : [])];
  });
  const satValues = input.satellites.flatMap((sat, i) => {
    const c = pitColumns(sat);
    const t = `s${i}`;
    return [
      `CASE WHEN ${t}.vl_load_ts IS NULL THEN ${ghost} ELSE g.vl_hk END`,
      `coalesce(${t}.vl_load_ts, ${ghostTs(ctx)})`,
      ...(c.loadSeq ? [`coalesce(${t}.vl_load_seq, 0)`] : []),
      ...(c.effectiveFrom ? [`${t}.vl_eff`] : []),
    ];
  });
  const joins = input.satellites
    .map(
      (_, i) =>
        `LEFT JOIN ${q(ctx, `vl_pit_${i}`)} AS s${i} ON s${i}.vl_hk = g.vl_hk AND s${i}.${COL.asOf} = g.${COL.asOf}`,
    )
    .join('\n');
  const state = rel(ctx, { schema: ctx.metaSchema, name: LOAD_STATE_TABLE });
  const entity = lit(ctx, entityKey(ctx.target));
  statements.push(
    {
      label: 'counts',
      read: 'stats',
      sql:
        `SELECT (SELECT count(*) FROM ${grid}) AS rows_read, (SELECT count(*) FROM ${grid}) AS rows_inserted,\n` +
        `  (SELECT count(*) FROM ${fresh}) AS as_of_added,\n` +
        `  (SELECT count(*) FROM ${grid} AS g WHERE EXISTS (SELECT 1 FROM ${old} AS o WHERE o.${COL.asOf} = g.${COL.asOf})) AS rows_recomputed,\n` +
        `  (SELECT count(*) FROM ${old} AS o WHERE NOT EXISTS (SELECT 1 FROM ${asOfSql} AS a WHERE a.${COL.asOf} = o.${COL.asOf})) AS as_of_removed`,
    },
    {
      // Only now: until the pointers are computed, the newest as-of's rows (gone or not) are their base.
      label: 'as-of timestamps the as-of model no longer has',
      sql:
        `DELETE FROM ${target} WHERE ${COL.asOf} IN ` +
        `(SELECT ${COL.asOf} FROM ${old} AS o WHERE NOT EXISTS (SELECT 1 FROM ${asOfSql} AS a WHERE a.${COL.asOf} = o.${COL.asOf}))`,
    },
    {
      label: 'insert the computed rows',
      sql:
        `INSERT INTO ${target} (${[spec.parent.hashKey, COL.asOf, ...satColumns].map((n) => q(ctx, n)).join(', ')})\n` +
        `SELECT g.vl_hk, g.${COL.asOf}, ${satValues.join(', ')}\nFROM ${grid} AS g\n${joins}`,
    },
    {
      label: 'newest as-of: forget the old one',
      sql: `DELETE FROM ${state} WHERE entity = ${entity} AND source = ${lit(ctx, PIT_AS_OF_SOURCE)}`,
    },
    {
      // What the load log reports as how far the PIT is computed.
      label: 'newest as-of',
      sql:
        `INSERT INTO ${state} (entity, source, high_water_load_ts)\n` +
        `SELECT ${entity}, ${lit(ctx, PIT_AS_OF_SOURCE)}, max(${COL.asOf}) FROM ${target}`,
    },
    ...input.changes.flatMap((c): VaultStatement[] => [
      {
        label: `change log of ${c.entity}: forget the old position`,
        sql: `DELETE FROM ${state} WHERE entity = ${entity} AND source = ${lit(ctx, PIT_CHANGES_SOURCE(c.entity))}`,
      },
      {
        label: `change log of ${c.entity}: consumed up to load ${c.upTo}`,
        sql:
          `INSERT INTO ${state} (entity, source, high_water_seq) ` +
          `VALUES (${entity}, ${lit(ctx, PIT_CHANGES_SOURCE(c.entity))}, ${c.upTo})`,
      },
    ]),
    ...dropTemp(ctx, ...temps),
  );
  return { statements };
}

function changeRange(ctx: PlanContext, c: PitChanges): string {
  return `entity = ${lit(ctx, c.entity)} AND load_id > ${c.after} AND load_id <= ${c.upTo}`;
}
