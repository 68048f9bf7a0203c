import { projectHashMacros } from '../project/hash-macros.ts';
import { relationIdentity } from '../project/relations.ts';
import type { GraphNode, ProjectGraph } from '../project/types.ts';
import { VaultlineError } from '../shared/errors.ts';
import {
  prepareVaultMeta,
  runVaultEntity,
  type VaultEntitySpec,
  type VaultLoadResult,
} from '../vault/index.ts';
import { type NodeBuildContext, type NodeBuildOutcome, registerNodeBuilder } from './node-builders.ts';

/**
 * The adapter between the run layer and src/vault: a VaultNode is loaded by `runVaultEntity` inside
 * the step's transaction, with names in the spec (staging models, other entities) resolved to the
 * relations the graph gives them.
 */
export function registerVaultBuilder(): void {
  registerNodeBuilder('vault', buildVaultNode, { prepare: (session) => prepareVaultMeta(session) });
}

async function buildVaultNode(ctx: NodeBuildContext): Promise<NodeBuildOutcome> {
  const node = ctx.node;
  if (node.resourceType !== 'vault') throw new Error(`${node.uniqueId} is not a vault entity`);
  const spec = node.spec as VaultEntitySpec;
  const macros = projectHashMacros(ctx.graph, {
    dialect: ctx.engine.dialect,
    standard: spec.hashing,
    vars: ctx.vars,
  });
  const result = await runVaultEntity(ctx.session, spec, {
    target: { schema: node.schema, name: node.alias },
    relationOf: (name) => relationByName(ctx.graph, name, node.name),
    fullRefresh: ctx.fullRefresh,
    ...(macros ? { macros } : {}),
    runId: ctx.runId,
    clock: { now: ctx.now },
    catalog: ctx.engine.catalog,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return {
    rowsAffected: result.rowsInserted,
    compiledSql: result.statements.join(';\n\n'),
    message: describeLoad(result),
  };
}

/** A staging model or a vault entity by the name the vault YAML uses. */
export function relationByName(graph: ProjectGraph, name: string, requestedBy: string) {
  const candidates: (GraphNode | undefined)[] = [
    graph.nodes.get(`model.${graph.projectName}.${name}`),
    graph.nodes.get(`vault.${graph.projectName}.${name}`),
    graph.nodes.get(`seed.${graph.projectName}.${name}`),
  ];
  const node = candidates.find((n) => n !== undefined);
  if (!node)
    throw new VaultlineError(`${requestedBy}: "${name}" is neither a model, a seed nor a vault entity`);
  if (node.resourceType === 'model' && node.materialized === 'ephemeral') {
    throw new VaultlineError(
      `${requestedBy} reads model ${name}, which is ephemeral; vault loads need a relation (materialize it as a view or table)`,
    );
  }
  return relationIdentity(node);
}

/** One line a data engineer can audit: what was read, what was inserted, and what was left out and why. */
function describeLoad(result: VaultLoadResult): string {
  const parts = [`read ${result.rowsRead}`, `inserted ${result.rowsInserted}`];
  if (result.unchanged) parts.push(`unchanged ${result.unchanged}`);
  if (result.duplicates) parts.push(`duplicates ${result.duplicates}`);
  if (result.skippedNullKeys) parts.push(`skipped ${result.skippedNullKeys} null key(s)`);
  if (result.skippedLateRows) parts.push(`skipped ${result.skippedLateRows} late row(s)`);
  for (const [name, value] of Object.entries(result.details))
    if (value) parts.push(`${name.replaceAll('_', ' ')} ${value}`);
  if (result.ghostInserted) parts.push('ghost record added');
  return `${result.kind}: ${parts.join(', ')}${result.message ? ` — ${result.message}` : ''}`;
}
