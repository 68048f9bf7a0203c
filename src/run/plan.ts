import type {
  GraphNode,
  ModelNode,
  ProjectGraph,
  ResourceType,
  SelectedGraph,
  UniqueId,
} from '../project/types.ts';

/**
 * SelectedGraph → ExecutionPlan (DESIGN.md flow): which selected nodes run, in which order, and what
 * each one inlines and reads. Pure; the executor follows it.
 *
 * - Ephemeral models never run: each step lists the ephemeral models it inlines as CTEs (dependencies
 *   first, ephemerals of ephemerals included) and the sources it reads directly or through them.
 * - Order keeps the graph's dependencies between selected nodes, also through nodes left unselected.
 * - With `testsGate` (build), a node downstream of a tested node waits for that node's tests, so a
 *   failing error-severity test can skip it (dbt build semantics). A test never waits for a node
 *   upstream of one of its own parents (that would be a cycle: relationships tests).
 */
export type StepKind = 'seed' | 'model' | 'vault' | 'test';

export interface PlanStep {
  uniqueId: UniqueId;
  kind: StepKind;
  /** Steps of this plan that must finish first. */
  after: UniqueId[];
  /** 0 for steps with nothing before them; steps of one level are independent of each other. */
  level: number;
  /** Ephemeral models to inline as CTEs, each after the ephemerals it uses. */
  ephemerals: UniqueId[];
  /** Sources read directly or through the inlined ephemerals. */
  sources: UniqueId[];
}

export interface ExecutionPlan {
  graph: ProjectGraph;
  steps: PlanStep[];
  levels: UniqueId[][];
  /** Graph ancestors of every step (for skip propagation). */
  ancestors: Map<UniqueId, Set<UniqueId>>;
}

export interface PlanOptions {
  resourceTypes: ReadonlySet<ResourceType>;
  testsGate?: boolean;
}

export const COMMAND_RESOURCE_TYPES: Record<'run' | 'test' | 'build' | 'seed', ReadonlySet<ResourceType>> = {
  run: new Set(['model', 'vault']),
  test: new Set(['test']),
  build: new Set(['seed', 'model', 'vault', 'test']),
  seed: new Set(['seed']),
};

export function isEphemeral(node: GraphNode | undefined): node is ModelNode {
  return node?.resourceType === 'model' && node.materialized === 'ephemeral';
}

function kindOf(node: GraphNode): StepKind | undefined {
  if (node.resourceType === 'source') return undefined;
  if (isEphemeral(node)) return undefined;
  return node.resourceType;
}

export function ancestorsOf(
  graph: ProjectGraph,
  id: UniqueId,
  memo: Map<UniqueId, Set<UniqueId>>,
): Set<UniqueId> {
  const known = memo.get(id);
  if (known) return known;
  const out = new Set<UniqueId>();
  memo.set(id, out); // cycles are diagnostics upstream; this guard only keeps a bad graph from looping
  for (const parent of graph.nodes.get(id)?.dependsOn ?? []) {
    out.add(parent);
    for (const a of ancestorsOf(graph, parent, memo)) out.add(a);
  }
  return out;
}

/** Ephemeral models a node inlines, dependencies first, and the sources it reads through them. */
export function inlinedEphemerals(
  graph: ProjectGraph,
  id: UniqueId,
): { ephemerals: UniqueId[]; sources: UniqueId[] } {
  const ephemerals: UniqueId[] = [];
  const sources = new Set<UniqueId>();
  const visiting = new Set<UniqueId>();
  const visit = (nodeId: UniqueId) => {
    for (const parentId of graph.nodes.get(nodeId)?.dependsOn ?? []) {
      const parent = graph.nodes.get(parentId);
      if (parent?.resourceType === 'source') sources.add(parentId);
      if (!isEphemeral(parent) || ephemerals.includes(parentId) || visiting.has(parentId)) continue;
      visiting.add(parentId);
      visit(parentId);
      ephemerals.push(parentId);
    }
  };
  visit(id);
  return { ephemerals, sources: [...sources] };
}

export function planExecution(selected: SelectedGraph, options: PlanOptions): ExecutionPlan {
  const { graph } = selected;
  const memo = new Map<UniqueId, Set<UniqueId>>();
  const stepIds: UniqueId[] = [];
  for (const [id, node] of graph.nodes) {
    if (!selected.selected.has(id)) continue;
    const kind = kindOf(node);
    if (kind && options.resourceTypes.has(node.resourceType)) stepIds.push(id);
  }
  const inPlan = new Set(stepIds);
  const ancestors = new Map(stepIds.map((id) => [id, ancestorsOf(graph, id, memo)]));

  const after = new Map<UniqueId, Set<UniqueId>>(stepIds.map((id) => [id, new Set()]));
  for (const id of stepIds) {
    for (const a of ancestors.get(id)!) if (inPlan.has(a)) after.get(id)!.add(a);
  }
  if (options.testsGate) {
    for (const testId of stepIds) {
      const test = graph.nodes.get(testId)!;
      if (test.resourceType !== 'test') continue;
      const parents = test.dependsOn;
      const parentAncestry = new Set<UniqueId>(parents);
      for (const p of parents) for (const a of ancestorsOf(graph, p, memo)) parentAncestry.add(a);
      for (const id of stepIds) {
        if (graph.nodes.get(id)!.resourceType === 'test' || parentAncestry.has(id)) continue;
        // A test gates the descendants of the node it is attached to (dbt: a relationships test
        // belongs to the child model, not to the `to` model it also reads); singular tests gate
        // the descendants of everything they read.
        const gating = test.attachedNode ? [test.attachedNode] : parents;
        if (gating.some((p) => ancestors.get(id)!.has(p))) after.get(id)!.add(testId);
      }
    }
  }

  // Kahn's algorithm; ties keep the graph's node order so plans are stable.
  const order: UniqueId[] = [];
  const level = new Map<UniqueId, number>();
  const remaining = new Set(stepIds);
  while (remaining.size > 0) {
    const ready = [...remaining].filter((id) => [...after.get(id)!].every((a) => !remaining.has(a)));
    if (ready.length === 0) throw new Error(`dependency cycle among ${[...remaining].join(', ')}`);
    for (const id of ready) {
      remaining.delete(id);
      order.push(id);
      level.set(id, Math.max(-1, ...[...after.get(id)!].map((a) => level.get(a)!)) + 1);
    }
  }

  const steps = order.map<PlanStep>((id) => {
    const { ephemerals, sources } = inlinedEphemerals(graph, id);
    return {
      uniqueId: id,
      kind: kindOf(graph.nodes.get(id)!)!,
      after: [...after.get(id)!],
      level: level.get(id)!,
      ephemerals,
      sources,
    };
  });
  const levels: UniqueId[][] = [];
  for (const step of steps) {
    const level = levels[step.level] ?? [];
    level.push(step.uniqueId);
    levels[step.level] = level;
  }
  return { graph, steps, levels, ancestors };
}
