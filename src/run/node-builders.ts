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
  /** The run's cancellation (`session` already carries it on every statement). */
  signal?: AbortSignal;
}

export interface NodeBuildOutcome {
  rowsAffected?: number;
  compiledSql?: string;
  message?: string;
}

export type NodeBuilder = (ctx: NodeBuildContext) => Promise<NodeBuildOutcome>;

export interface NodeBuilderHooks {
  /**
   * Creates what every node of this kind shares (its bookkeeping tables), once per run on the run's
   * own session, before any node runs: nodes built at the same time on their own connections must
   * never race to create one table (two transactions creating it conflict).
   */
  prepare?(session: Session): Promise<void>;
}

const builders = new Map<ResourceType, { build: NodeBuilder; hooks: NodeBuilderHooks }>();

export function registerNodeBuilder(
  resourceType: 'vault',
  builder: NodeBuilder,
  hooks: NodeBuilderHooks = {},
): void {
  builders.set(resourceType, { build: builder, hooks });
}

export function nodeBuilderFor(resourceType: ResourceType): NodeBuilder | undefined {
  return builders.get(resourceType)?.build;
}

export function nodeBuilderHooks(resourceType: ResourceType): NodeBuilderHooks | undefined {
  return builders.get(resourceType)?.hooks;
}
