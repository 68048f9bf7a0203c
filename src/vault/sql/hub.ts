/**
 * Hub load: one row per business key (hash key `hk_<hub>`, the business key columns, load_ts,
 * record_source) from every source unioned; the earliest load_ts wins, ties broken by record_source.
 * Rows whose business key is entirely null or empty are skipped and counted.
 */
import { hashKeySql } from '../hashing.ts';
import { COL } from '../names.ts';
import type { HubSpec } from '../types.ts';
import {
  lit,
  type PlanContext,
  q,
  type StagingInput,
  stagingColumn,
  stagingMeta,
  type VaultPlan,
} from './common.ts';
import { planFirstSeen } from './first-seen.ts';

export function planHub(spec: HubSpec, ctx: PlanContext, staging: StagingInput[]): VaultPlan {
  const sources = spec.sources.map((source) => {
    const input = staging.find((s) => s.name === source.name);
    if (!input) throw new Error(`${spec.name}: no staging input given for source ${source.name}`);
    return { source, input, columns: source.businessKey.map((c) => stagingColumn(spec.name, input, c, ctx)) };
  });
  // The hub's columns take the first source's types; other sources are cast to them.
  const types = sources[0]!.columns.map((c) => c.ddlType);
  const columns: [string, string, string | undefined][] = spec.businessKey.map((name, i) => [
    name,
    types[i]!,
    sources[0]!.columns[i]!.type,
  ]);
  const selects = sources.map(({ source, input, columns: cols }) => {
    const meta = stagingMeta(spec.name, input, ctx);
    const bk = cols.map((c, i) =>
      input === sources[0]!.input
        ? `${c.expression} AS ${q(ctx, spec.businessKey[i]!)}`
        : `CAST(${c.expression} AS ${types[i]}) AS ${q(ctx, spec.businessKey[i]!)}`,
    );
    return (
      `SELECT ${lit(ctx, source.name)} AS vl_source, ${hashKeySql([cols], ctx.hashing, ctx.dialect, ctx.macros)} AS vl_hk, ` +
      `${bk.join(', ')}, ${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}, ${meta.arrival} AS vl_arrival\nFROM ${meta.from}`
    );
  });
  return planFirstSeen(ctx, {
    hashKey: spec.hashKey,
    columns,
    selects,
    sources: sources.map((s) => s.input),
  });
}
