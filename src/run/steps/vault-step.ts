import { VaultlineError } from '../../shared/errors.ts';
import { nodeBuilderFor } from '../node-builders.ts';
import type { PlanStep } from '../plan.ts';
import type { StepOutcome } from './outcome.ts';
import { nodeOf, type RunEnvironment, readSources, relationResolver } from './step-context.ts';

/** Data Vault entities are built by the builder src/vault/ registers (src/run/node-builders.ts). */
export async function runVaultStep(env: RunEnvironment, step: PlanStep): Promise<StepOutcome> {
  const node = nodeOf(env, step.uniqueId);
  const builder = nodeBuilderFor(node.resourceType);
  if (!builder) {
    throw new VaultlineError(
      `${node.name}: no builder is registered for ${node.resourceType} nodes (src/run/node-builders.ts)`,
    );
  }
  const reads = await readSources(env, step, {});
  const relationFor = relationResolver(env, reads);
  const outcome = await env.session.transaction((tx) =>
    builder({
      node,
      graph: env.graph,
      session: tx,
      engine: env.engine,
      runId: env.runId,
      fullRefresh: env.fullRefresh,
      vars: env.vars,
      relationFor,
      now: () => env.clock.now(),
    }),
  );
  return { status: 'success', ...outcome };
}
