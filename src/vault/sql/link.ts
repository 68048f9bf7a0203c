/**
 * Link load: one row per combination of hub keys (hash key `hk_<link>` over every hub's business
 * key, one `hk_<hub>` column per hub, load_ts, record_source); the earliest load_ts wins. A row
 * where any hub's business key is entirely null or empty gives no link row and is counted.
 */
import { hashKeySql } from '../hashing.ts';
import { COL } from '../names.ts';
import type { LinkSpec } from '../types.ts';
import {
  lit,
  notNull,
  type PlanContext,
  q,
  type StagingInput,
  sqlType,
  stagingColumn,
  stagingMeta,
  type VaultPlan,
} from './common.ts';
import { planFirstSeen } from './first-seen.ts';

export function planLink(spec: LinkSpec, ctx: PlanContext, staging: StagingInput[]): VaultPlan {
  const selects = spec.sources.map((name) => {
    const input = staging.find((s) => s.name === name);
    if (!input) throw new Error(`${spec.name}: no staging input given for source ${name}`);
    const groups = spec.hubs.map((h) => h.businessKey.map((c) => stagingColumn(spec.name, input, c, ctx)));
    const meta = stagingMeta(spec.name, input, ctx);
    const hubKeys = spec.hubs.map(
      (h, i) => `${hashKeySql([groups[i]!], ctx.hashing, ctx.dialect, ctx.macros)} AS ${q(ctx, h.hashKey)}`,
    );
    return (
      `SELECT ${lit(ctx, name)} AS vl_source, ${hashKeySql(groups, ctx.hashing, ctx.dialect, ctx.macros)} AS vl_hk, ` +
      `${hubKeys.join(', ')}, ${meta.loadTs} AS ${COL.loadTs}, ${meta.recordSource} AS ${COL.recordSource}, ${meta.arrival} AS vl_arrival\nFROM ${meta.from}`
    );
  });
  const columns: [string, string, string][] = spec.hubs.map((h) => [
    h.hashKey,
    notNull(ctx, 'text'),
    sqlType(ctx, 'text'),
  ]);
  return planFirstSeen(ctx, {
    hashKey: spec.hashKey,
    columns,
    selects,
    sources: spec.sources.map((n) => staging.find((s) => s.name === n)!),
  });
}
