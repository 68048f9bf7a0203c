import type { VaultlineConfig } from '../config/schema.ts';
import { openLandingStore } from '../landing/open-store.ts';
import type { LandingStore } from '../landing/store.ts';
import type { GraphNode, ModelNode, ProjectGraph, UniqueId } from '../project/types.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { UsageError } from '../shared/errors.ts';
import { plainRows } from './data-tests.ts';
import { ensureMetaSchema } from './meta/ensure.ts';
import { inlinedEphemerals } from './plan.ts';
import { relationOf } from './relations.ts';
import type { RenderNode } from './render-context.ts';
import { LandedSources } from './sources/landed-sources.ts';
import { wrappable } from './sql.ts';
import { compileStep, type RunEnvironment, readSources, relationResolver } from './steps/step-context.ts';
import { openWarehouse } from './warehouse.ts';

/**
 * `vaultline show`: the first rows a node's SQL returns (a model's query as compiled, not its stored
 * table; a seed's table; a test's failing rows), or those of an inline query that may use ref(),
 * source() and the project's macros. Sources are read in full (their views are refreshed).
 */
export interface PreviewInput {
  config: VaultlineConfig;
  graph: ProjectGraph;
  render: RenderNode;
  limit: number;
  /** A node to show … */
  node?: GraphNode;
  /** … or an inline query. */
  inline?: string;
  vars?: Record<string, unknown>;
  store?: LandingStore;
  clock?: Clock;
  warn?: (message: string) => void;
}

export interface PreviewOutput {
  sql: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

const INLINE_ID = 'model.__inline__.inline_query';

export async function previewQuery(input: PreviewInput): Promise<PreviewOutput> {
  if (!Number.isInteger(input.limit) || input.limit < 0)
    throw new UsageError('--limit must be a whole number ≥ 0');
  let graph = input.graph;
  let id: UniqueId;
  if (input.inline !== undefined) {
    graph = withInlineNode(graph, input.inline, input.render);
    id = INLINE_ID;
  } else if (input.node) {
    id = input.node.uniqueId;
  } else {
    throw new UsageError('show needs --select <node> or --inline "<query>"');
  }
  const node = graph.nodes.get(id)!;
  const { engine, session } = await openWarehouse(input.config);
  try {
    // A preview on a warehouse that was never built still reads sources, whose payload checks
    // live in vaultline_meta.
    await ensureMetaSchema(session);
    const env: RunEnvironment = {
      graph,
      engine,
      session,
      sources: new LandedSources({
        session,
        engine,
        store: input.store ?? openLandingStore(input.config),
        clock: input.clock ?? systemClock,
        runId: 'show',
        warn: input.warn ?? (() => undefined),
      }),
      render: input.render,
      clock: input.clock ?? systemClock,
      runId: 'show',
      fullRefresh: false,
      vars: { ...input.config.vars, ...(graph.vars ?? {}), ...(input.vars ?? {}) },
      target: { name: input.config.profile ?? 'dev', type: engine.dialect.name, schema: 'main' },
    };
    let sql: string;
    if (node.resourceType === 'seed' || node.resourceType === 'vault') {
      sql = `SELECT * FROM ${relationOf(engine.dialect, node)}`;
    } else if (node.resourceType === 'source') {
      sql = `SELECT * FROM ${(await env.sources.fullRead(node)).relation}`;
    } else {
      const { ephemerals, sources } = inlinedEphemerals(graph, id);
      const step = { uniqueId: id, kind: 'model' as const, after: [], level: 0, ephemerals, sources };
      const reads = await readSources(env, step, {});
      const thisRelation = node.resourceType === 'model' ? relationOf(engine.dialect, node) : '';
      sql = compileStep(env, step, relationResolver(env, reads), { isIncremental: false, thisRelation });
    }
    const rows = await session.query(
      `SELECT * FROM (\n${wrappable(sql)}\n) AS __vl_show LIMIT ${input.limit}`,
    );
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    return { sql, columns, rows: plainRows(rows) };
  } finally {
    await session.close();
  }
}

/**
 * The inline query as a model of its own. Its dependencies are found by rendering it once with every
 * model, seed and source allowed and recording which ones it asks for.
 */
function withInlineNode(graph: ProjectGraph, sql: string, render: RenderNode): ProjectGraph {
  const everything = [...graph.nodes.values()]
    .filter((n) => n.resourceType !== 'test')
    .map((n) => n.uniqueId);
  const probe: ModelNode = {
    uniqueId: INLINE_ID,
    resourceType: 'model',
    name: 'inline_query',
    file: '--inline',
    fqn: ['inline_query'],
    tags: [],
    dependsOn: everything,
    config: {},
    rawSql: sql,
    materialized: 'view',
    schema: 'main',
    alias: 'inline_query',
    columns: [],
  };
  const used = new Set<UniqueId>();
  const probeGraph = { ...graph, nodes: new Map(graph.nodes).set(INLINE_ID, probe) };
  render(probeGraph, probe, {
    relationFor: (uid) => {
      used.add(uid);
      return `"${uid}"`;
    },
    isIncremental: false,
    thisRelation: '"inline_query"',
    target: { name: 'default', type: 'duckdb', schema: 'main' },
    vars: { ...(graph.vars ?? {}) },
    dialect: 'duckdb',
  });
  const node: ModelNode = { ...probe, dependsOn: [...used] };
  return { ...graph, nodes: new Map(graph.nodes).set(INLINE_ID, node) };
}
