import type { Session } from '../engine/dialect.ts';
import { relationIdentity } from '../project/relations.ts';
import type { ResourceType } from '../project/types.ts';
import { createSchema } from './materializations/target.ts';
import { nodeBuilderHooks } from './node-builders.ts';
import type { ExecutionPlan } from './plan.ts';

/**
 * What the nodes of a run share, created before any of them runs, on the run's own session: the
 * schemas they build into (models, seeds, vault entities, stored test failures) and the bookkeeping
 * tables of registered node builders (the vault's). Nodes built at the same time on their own
 * connections then only create relations of their own: two transactions creating one schema or
 * table conflict (DuckDB: "Catalog write-write conflict"), while `IF NOT EXISTS` on one that exists
 * changes nothing.
 */
export async function prepareRun(plan: ExecutionPlan, session: Session): Promise<void> {
  const schemas = new Set<string>();
  const kinds = new Set<ResourceType>();
  for (const step of plan.steps) {
    const node = plan.graph.nodes.get(step.uniqueId);
    if (!node) continue;
    kinds.add(node.resourceType);
    if (node.resourceType === 'test') {
      if (node.storeFailures) schemas.add(node.storeFailures.schema);
    } else if (!(node.resourceType === 'model' && node.materialized === 'ephemeral')) {
      schemas.add(relationIdentity(node).schema);
    }
  }
  await session.transaction(async (tx) => {
    for (const schema of [...schemas].sort()) await tx.execute(createSchema(session.dialect, schema));
  });
  for (const kind of kinds) await nodeBuilderHooks(kind)?.prepare?.(session);
}
