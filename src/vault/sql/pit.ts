/**
 * PIT (point-in-time) table: for each parent key and as-of timestamp, the key and load_ts (and
 * load_seq, where the satellite has one) of each satellite's row in effect — its newest row with
 * load_ts ≤ as-of — or the ghost record's where none is yet. Rows: `hk_<parent>`, as_of_ts, then per
 * satellite `<sat>_hk`, `<sat>_load_ts`[, `<sat>_load_seq`].
 *
 * Append-only: only as-of timestamps after the newest one in the table are computed, and only up to
 * the watermark (the oldest high-water mark of the parent and the satellites), so no later load can
 * change a row already written. A parent key appears from the first as-of at or after its load_ts.
 *
 * Cost: the new as-of rows (parent keys × new as-of timestamps) plus satellite rows loaded after the
 * previous as-of; the pointers in effect at the previous as-of come from the PIT's own last rows.
 */
import { ghostKey } from '../hashing.ts';
import { COL, entityKey, LOAD_STATE_TABLE } from '../names.ts';
import type { PitSpec, Relation } from '../types.ts';
import {
  creating,
  dropTemp,
  GHOST_TS,
  lit,
  type PlanContext,
  prologue,
  q,
  rel,
  targetDdl,
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
}

export type PitAsOfInput =
  /** Every midnight (UTC) from `from` to `to`, both included. */
  | { kind: 'daily'; from: string; to: string }
  /** The distinct timestamps of a model's column in (after, to]. */
  | { kind: 'model'; relation: Relation; column: string; after?: string; to: string };

export interface PitInputs {
  parent: Relation;
  satellites: PitSatelliteInput[];
  /** The newest as-of already in the PIT (undefined: empty or rebuilding). */
  lastAsOf?: string;
  /** Undefined when there is nothing new to add. */
  asOf?: PitAsOfInput;
}

const ASOF = 'vl_asof';
const GRID = 'vl_grid';
/** The PIT's load state keeps its newest as-of under this source name. */
export const PIT_STATE_SOURCE = '(as_of)';

export function pitColumns(sat: PitSatelliteInput): { hk: string; loadTs: string; loadSeq?: string } {
  return {
    hk: `${sat.name}_hk`,
    loadTs: `${sat.name}_load_ts`,
    ...(sat.hasLoadSeq ? { loadSeq: `${sat.name}_load_seq` } : {}),
  };
}

export function planPit(spec: PitSpec, ctx: PlanContext, input: PitInputs): VaultPlan {
  const hk = q(ctx, spec.parent.hashKey);
  const target = rel(ctx, ctx.target);
  const ghost = lit(ctx, ghostKey(ctx.hashing));
  const columns: [string, string][] = [
    [spec.parent.hashKey, 'VARCHAR NOT NULL'],
    [COL.asOf, 'TIMESTAMP NOT NULL'],
  ];
  for (const sat of input.satellites) {
    const c = pitColumns(sat);
    columns.push([c.hk, 'VARCHAR NOT NULL'], [c.loadTs, 'TIMESTAMP NOT NULL']);
    if (c.loadSeq) columns.push([c.loadSeq, 'INTEGER NOT NULL']);
  }
  const statements: VaultStatement[] = [...prologue(ctx), ...targetDdl(ctx, columns)];
  const asOf = input.asOf;
  if (!asOf) {
    statements.push({
      label: 'counts',
      read: 'stats',
      sql: 'SELECT 0 AS rows_read, 0 AS rows_inserted, 0 AS as_of_added',
    });
    return { statements };
  }
  const last = !creating(ctx) && input.lastAsOf !== undefined ? tsLiteral(input.lastAsOf) : undefined;
  const asOfSelect =
    asOf.kind === 'daily'
      ? `SELECT CAST(generate_series AS TIMESTAMP) AS ${COL.asOf} FROM generate_series(${tsLiteral(asOf.from)}, ${tsLiteral(asOf.to)}, INTERVAL '1 day')`
      : `SELECT DISTINCT CAST(m.${q(ctx, asOf.column)} AS TIMESTAMP) AS ${COL.asOf} FROM ${rel(ctx, asOf.relation)} AS m\n` +
        `WHERE m.${q(ctx, asOf.column)} IS NOT NULL AND CAST(m.${q(ctx, asOf.column)} AS TIMESTAMP) <= ${tsLiteral(asOf.to)}` +
        (asOf.after !== undefined
          ? ` AND CAST(m.${q(ctx, asOf.column)} AS TIMESTAMP) > ${tsLiteral(asOf.after)}`
          : '');
  const temps = [ASOF, GRID, ...input.satellites.map((_, i) => `vl_pit_${i}`)];
  statements.push(
    {
      label: 'new as-of timestamps',
      sql:
        `CREATE TEMPORARY TABLE ${q(ctx, ASOF)} AS\n` +
        (last ? `SELECT * FROM (\n${asOfSelect}\n) AS a WHERE ${COL.asOf} > ${last}` : asOfSelect),
    },
    {
      label: 'parent keys at each new as-of',
      sql:
        `CREATE TEMPORARY TABLE ${q(ctx, GRID)} AS\n` +
        `SELECT p.${hk} AS vl_hk, a.${COL.asOf} FROM ${rel(ctx, input.parent)} AS p JOIN ${q(ctx, ASOF)} AS a ON p.${COL.loadTs} <= a.${COL.asOf}`,
    },
  );
  input.satellites.forEach((sat, i) => {
    const c = pitColumns(sat);
    const seq = sat.hasLoadSeq ? `max(${COL.loadSeq})` : '0';
    const base = last
      ? `  SELECT ${hk} AS vl_hk, ${last} AS vl_ts, ${q(ctx, c.loadTs)} AS vl_load_ts, ` +
        `${c.loadSeq ? q(ctx, c.loadSeq) : '0'} AS vl_load_seq\n` +
        `  FROM ${target} WHERE ${COL.asOf} = ${last} AND ${q(ctx, c.loadTs)} > ${GHOST_TS}\n  UNION ALL\n`
      : '';
    statements.push({
      label: `rows of ${sat.name} in effect at each new as-of`,
      sql:
        `CREATE TEMPORARY TABLE ${q(ctx, `vl_pit_${i}`)} AS\n` +
        `WITH pointers AS (\n` +
        // In effect at the previous as-of (from the PIT itself), then whatever was loaded since.
        base +
        `  SELECT ${q(ctx, sat.hashKey)} AS vl_hk, ${COL.loadTs} AS vl_ts, ${COL.loadTs} AS vl_load_ts, ${seq} AS vl_load_seq\n` +
        `  FROM ${rel(ctx, sat.relation)}\n` +
        `  WHERE ${COL.loadTs} > ${last ?? GHOST_TS} AND ${COL.loadTs} <= (SELECT max(${COL.asOf}) FROM ${q(ctx, ASOF)})\n` +
        `  GROUP BY ${q(ctx, sat.hashKey)}, ${COL.loadTs}\n` +
        `), timeline AS (\n` +
        `  SELECT vl_hk, vl_ts, 0 AS vl_kind, vl_load_ts FROM pointers\n` +
        `  UNION ALL\n` +
        `  SELECT vl_hk, ${COL.asOf}, 1, NULL FROM ${q(ctx, GRID)}\n` +
        `), carried AS (\n` +
        // Pointers only move forward in time, so the running max is the newest row in effect.
        `  SELECT vl_hk, vl_ts, vl_kind, max(vl_load_ts) OVER (PARTITION BY vl_hk ORDER BY vl_ts, vl_kind ` +
        `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS vl_load_ts FROM timeline\n` +
        `)\n` +
        `SELECT c.vl_hk, c.vl_ts AS ${COL.asOf}, c.vl_load_ts, p.vl_load_seq\n` +
        `FROM carried AS c LEFT JOIN pointers AS p ON p.vl_hk = c.vl_hk AND p.vl_load_ts = c.vl_load_ts\n` +
        `WHERE c.vl_kind = 1`,
    });
  });
  const satColumns = input.satellites.flatMap((sat) => {
    const c = pitColumns(sat);
    return [c.hk, c.loadTs, ...(c.loadSeq ? [c.loadSeq] : [])];
  });
  const satValues = input.satellites.flatMap((sat, i) => {
    const c = pitColumns(sat);
    const t = `s${i}`;
    return [
      `CASE WHEN ${t}.vl_load_ts IS NULL THEN ${ghost} ELSE g.vl_hk END`,
      `coalesce(${t}.vl_load_ts, ${GHOST_TS})`,
      ...(c.loadSeq ? [`coalesce(${t}.vl_load_seq, 0)`] : []),
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
        `SELECT (SELECT count(*) FROM ${q(ctx, GRID)}) AS rows_read, (SELECT count(*) FROM ${q(ctx, GRID)}) AS rows_inserted, ` +
        `(SELECT count(*) FROM ${q(ctx, ASOF)}) AS as_of_added`,
    },
    {
      label: 'insert the new as-of rows',
      sql:
        `INSERT INTO ${target} (${[spec.parent.hashKey, COL.asOf, ...satColumns].map((n) => q(ctx, n)).join(', ')})\n` +
        `SELECT g.vl_hk, g.${COL.asOf}, ${satValues.join(', ')}\nFROM ${q(ctx, GRID)} AS g\n${joins}`,
    },
    {
      label: 'newest as-of: forget the old one',
      sql: `DELETE FROM ${state} WHERE entity = ${entity} AND source = ${lit(ctx, PIT_STATE_SOURCE)}`,
    },
    {
      label: 'newest as-of',
      sql:
        `INSERT INTO ${state} (entity, source, high_water_load_ts)\n` +
        `SELECT ${entity}, ${lit(ctx, PIT_STATE_SOURCE)}, coalesce(max(${COL.asOf}), ${last ?? 'NULL'}) FROM ${q(ctx, ASOF)}`,
    },
    ...dropTemp(ctx, ...temps),
  );
  return { statements };
}
