import type { NodeStatus, UniqueId } from '../project/types.ts';
import type { ExecutionPlan } from './plan.ts';

/**
 * Skip propagation: a node downstream of a model that errored (or was skipped), or of a model whose
 * error-severity test failed (build only), is skipped with the reason, e.g.
 * "skipped: upstream test not_null_stg_x_id failed". The root cause is carried down the whole chain.
 */
export class SkipTracker {
  /** Nodes whose descendants must be skipped, with the reason to give. */
  private readonly broken = new Map<UniqueId, string>();
  /** Nodes with a failed error-severity test: their non-test descendants are skipped. */
  private readonly tainted = new Map<UniqueId, string>();

  constructor(
    private readonly plan: ExecutionPlan,
    private readonly testsGate: boolean,
  ) {}

  record(id: UniqueId, status: NodeStatus, skipReason?: string): void {
    const node = this.plan.graph.nodes.get(id);
    if (!node) return;
    if (status === 'error')
      this.broken.set(id, `skipped: upstream ${node.resourceType} ${node.name} errored`);
    if (status === 'skipped' && skipReason) this.broken.set(id, skipReason);
    if (status === 'fail' && this.testsGate && node.resourceType === 'test') {
      for (const parent of node.dependsOn) {
        if (!this.tainted.has(parent)) this.tainted.set(parent, `skipped: upstream test ${node.name} failed`);
      }
    }
  }

  /** Why `id` must be skipped, or undefined when it may run. */
  reasonToSkip(id: UniqueId): string | undefined {
    const isTest = this.plan.graph.nodes.get(id)?.resourceType === 'test';
    for (const ancestor of this.plan.ancestors.get(id) ?? []) {
      const broken = this.broken.get(ancestor);
      if (broken) return broken;
      if (!isTest) {
        const tainted = this.tainted.get(ancestor);
        if (tainted) return tainted;
      }
    }
    return undefined;
  }
}
