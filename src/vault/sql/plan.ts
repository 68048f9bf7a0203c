/**
 * One entry point for SQL generation: a resolved spec, its context and the inputs found in the
 * warehouse → the statements of one load. Each kind lives in its own file.
 */
import type { VaultEntitySpec } from '../types.ts';
import type { PlanContext, StagingInput, VaultPlan } from './common.ts';
import { planEffectivitySatellite } from './effectivity.ts';
import { planHub } from './hub.ts';
import { planLink } from './link.ts';
import { planMultiActiveSatellite } from './multi-active.ts';
import { type PitInputs, planPit } from './pit.ts';
import { planRecordTrackingSatellite } from './record-tracking.ts';
import { planSatellite } from './satellite.ts';

export function planVaultLoad(
  spec: VaultEntitySpec,
  ctx: PlanContext,
  staging: StagingInput[],
  pit?: PitInputs,
): VaultPlan {
  return skipWhenEmpty(planKind(spec, ctx, staging, pit));
}

/**
 * Everything between counting the batch per source and dropping the temporary tables only matters
 * when the batch has rows: an empty batch (nothing new in staging) costs one scan of the new rows.
 */
function skipWhenEmpty(plan: VaultPlan): VaultPlan {
  const counted = plan.statements.findIndex((s) => s.read === 'sources');
  if (counted < 0) return plan;
  let cleanup = plan.statements.length;
  while (cleanup > counted + 1 && plan.statements[cleanup - 1]!.sql.startsWith('DROP TABLE IF EXISTS'))
    cleanup--;
  return {
    statements: plan.statements.map((s, i) => (i > counted && i < cleanup ? { ...s, onlyIfRows: true } : s)),
  };
}

function planKind(
  spec: VaultEntitySpec,
  ctx: PlanContext,
  staging: StagingInput[],
  pit?: PitInputs,
): VaultPlan {
  const only = (): StagingInput => {
    const input = staging.find((s) => 'source' in spec && s.name === spec.source);
    if (!input) throw new Error(`${spec.name}: no staging input given for its source`);
    return input;
  };
  switch (spec.kind) {
    case 'hub':
      return planHub(spec, ctx, staging);
    case 'link':
      return planLink(spec, ctx, staging);
    case 'satellite':
      return planSatellite(spec, ctx, only());
    case 'multi_active_satellite':
      return planMultiActiveSatellite(spec, ctx, only());
    case 'effectivity_satellite':
      return planEffectivitySatellite(spec, ctx, only());
    case 'record_tracking_satellite':
      return planRecordTrackingSatellite(spec, ctx, only());
    case 'pit':
      if (!pit) throw new Error(`${spec.name}: a PIT needs its inputs (parent, satellites, as-of range)`);
      return planPit(spec, ctx, pit);
  }
}
