import type { Dialect, Session } from '../../engine/dialect.ts';
import type { Engine } from '../../engine/engine.ts';
import { fitIdentifier } from '../../engine/identifiers.ts';
import type { GraphNode, ProjectGraph, SourceNode, UniqueId } from '../../project/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { ephemeralCteName, withEphemerals } from '../materializations/ephemeral.ts';
import type { PlanStep } from '../plan.ts';
import { relationOf, safeName } from '../relations.ts';
import type { RenderContext, RenderNode } from '../render-context.ts';
import { checkedQuery, originOf } from '../single-query.ts';
import type { LandedSources, SourceRead } from '../sources/landed-sources.ts';

/** Everything a step needs, shared by the whole run. */
export interface RunEnvironment {
  graph: ProjectGraph;
  engine: Engine;
  session: Session;
  sources: LandedSources;
  render: RenderNode;
  clock: Clock;
  runId: string;
  fullRefresh: boolean;
  vars: Record<string, unknown>;
  target: RenderContext['target'];
  /** `<target_path>/compiled`: where a failing node's compiled SQL is written for the error report. */
  compiledDir?: { absolute: string; shown: string };
  /** Cancels the run (executePlan puts it on every step's session; builders get it too). */
  signal?: AbortSignal;
}

export function nodeOf<T extends GraphNode = GraphNode>(env: RunEnvironment, id: UniqueId): T {
  const node = env.graph.nodes.get(id);
  if (!node) throw new Error(`${id} is not in the project graph`);
  return node as T;
}

/**
 * Reads the step's sources — in full, or (for an incremental model's incremental run) only the objects
 * that model has not read yet — and returns them by source id.
 */
export async function readSources(
  env: RunEnvironment,
  step: PlanStep,
  mode: { newOnlyFor?: UniqueId },
): Promise<Map<UniqueId, SourceRead>> {
  const reads = new Map<UniqueId, SourceRead>();
  for (const sourceId of step.sources) {
    const source = nodeOf<SourceNode>(env, sourceId);
    const read = mode.newOnlyFor
      ? await env.sources.newObjectsRead(
          source,
          mode.newOnlyFor,
          tempSourceView(env.engine.dialect, mode.newOnlyFor, source),
          env.session,
        )
      : await env.sources.fullRead(source);
    reads.set(sourceId, read);
  }
  return reads;
}

/** One per model and source (a model reading two sources has two), fitted to the engine's limit. */
export function tempSourceView(dialect: Dialect, modelId: UniqueId, source: SourceNode): string {
  return fitIdentifier(
    dialect,
    `__vl_src__${safeName(modelId)}__${safeName(source.sourceName)}__${safeName(source.tableName)}`,
  );
}

/** relationFor as one step sees it: its source reads, its inlined ephemerals, everything else in place. */
export function relationResolver(
  env: RunEnvironment,
  reads: Map<UniqueId, SourceRead>,
): (id: UniqueId) => string {
  return (id) => {
    const read = reads.get(id);
    if (read) return read.relation;
    const node = env.graph.nodes.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    if (node.resourceType === 'model' && node.materialized === 'ephemeral') return ephemeralCteName(node);
    return relationOf(env.engine.dialect, node);
  };
}

/**
 * The step's SQL: its ephemerals as CTEs, then its own rendered SQL. Each rendered piece must be
 * exactly one query (checkedQuery, naming that piece's file) before it is spliced, and so must the
 * result: nothing a template renders can add a statement to what runs.
 */
export async function compileStep(
  env: RunEnvironment,
  step: PlanStep,
  relationFor: (id: UniqueId) => string,
  own: { isIncremental: boolean; thisRelation: string },
): Promise<string> {
  const base = {
    relationFor,
    target: env.target,
    vars: env.vars,
    dialect: env.engine.dialect.name,
    literal: (value: Parameters<RenderContext['literal']>[0]) => env.engine.dialect.literal(value),
  };
  const ctes: { node: GraphNode; sql: string }[] = [];
  for (const id of step.ephemerals) {
    const node = nodeOf(env, id);
    const sql = env.render(env.graph, node, {
      ...base,
      isIncremental: false,
      thisRelation: ephemeralCteName(node),
    });
    ctes.push({ node, sql: await checkedQuery(env.session, sql, originOf(node)) });
  }
  const node = nodeOf(env, step.uniqueId);
  const sql = await checkedQuery(
    env.session,
    env.render(env.graph, node, { ...base, ...own }),
    originOf(node),
  );
  if (ctes.length === 0) return sql;
  return checkedQuery(env.session, withEphemerals(ctes, sql), originOf(node));
}

export function skippedPayloadKeys(reads: Map<UniqueId, SourceRead>): string[] {
  return [...reads.values()].flatMap((r) => r.skipped.map((s) => s.key));
}

export async function dropTempViews(
  env: RunEnvironment,
  reads: Map<UniqueId, SourceRead>,
  temporary: boolean,
): Promise<void> {
  if (!temporary) return;
  for (const read of reads.values()) {
    await env.session.execute(`DROP VIEW IF EXISTS ${read.relation}`);
  }
}
