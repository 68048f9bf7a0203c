import { isCancellation } from '../../engine/signalled-session.ts';
import { VaultlineError } from '../../shared/errors.ts';
import { VaultLoadError } from '../../vault/index.ts';
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
  const build = env.session.transaction((tx) =>
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
      ...(env.signal ? { signal: env.signal } : {}),
    }),
  );
  try {
    return { status: 'success', ...(await build) };
  } catch (error) {
    // Rolled back. The statements that ran (the failed one last, with its label) are what the user
    // debugs with: they go to run_results.json as compiled_sql, as a model's SQL does.
    // A cancelled load is the run's business (executePlan reports it), not the entity's error.
    if (error instanceof VaultLoadError && !isCancellation(error)) {
      return { status: 'error', message: error.message, compiledSql: error.statements.join(';\n\n') };
    }
    throw error;
  }
}
