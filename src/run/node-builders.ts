import type { Session } from '../engine/dialect.ts';
import type { Engine } from '../engine/engine.ts';
import type { GraphNode, ProjectGraph, ResourceType } from '../project/types.ts';

/**
 * Extension point for node kinds the run layer does not build itself (Data Vault entities). A builder
 * runs inside the step's transaction: what it writes commits or rolls back with the step.
 */
export interface NodeBuildContext {
  node: GraphNode;
  graph: ProjectGraph;
  /** The step's transaction. */
  session: Session;
  engine: Engine;
  runId: string;
  fullRefresh: boolean;
  vars: Record<string, unknown>;
  /** Where a node lives for this step (sources: the full source view). */
  relationFor(uniqueId: string): string;
  now(): Date;
}

export interface NodeBuildOutcome {
  rowsAffected?: number;
  compiledSql?: string;
  message?: string;
}

export type NodeBuilder = (ctx: NodeBuildContext) => Promise<NodeBuildOutcome>;

const builders = new Map<ResourceType, NodeBuilder>();

export function registerNodeBuilder(resourceType: 'vault', builder: NodeBuilder): void {
  builders.set(resourceType, builder);
}

export function nodeBuilderFor(resourceType: ResourceType): NodeBuilder | undefined {
  return builders.get(resourceType);
}
