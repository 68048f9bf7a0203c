import type { VaultlineConfig } from '../config/schema.ts';
import type { Dialect } from '../engine/dialect.ts';
import { engineFor } from '../engine/engine.ts';
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
import { checkedQuery, type SqlOrigin } from './single-query.ts';
import { LandedSources } from './sources/landed-sources.ts';
import { compileStep, type RunEnvironment, readSources, relationResolver } from './steps/step-context.ts';
import { openWarehouse } from './warehouse.ts';

/**
 * `vaultline show`: the first rows a node's SQL returns (a model's query as compiled, not its stored
 * table; a seed's table; a test's failing rows), or those of an inline query that may use ref(),
 * source() and the project's macros.
 *
 * A preview is one SELECT on a read-only connection (DESIGN.md Safety), in two steps:
 * 1. on the warehouse opened for writing: the SQL is rendered and checked to be exactly one query
 *    (an inline query before anything else happens), and the sources it reads are brought up to date
 *    (their records ingested, their views refreshed — what any run does). Closed.
 * 2. on the warehouse opened read-only (no write, no file outside it, configuration locked): the one
 *    `SELECT * FROM (<query>) LIMIT n`.
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
const INLINE_ORIGIN: SqlOrigin = { label: 'inline query', what: 'preview', file: '--inline' };

export async function previewQuery(input: PreviewInput): Promise<PreviewOutput> {
  if (!Number.isInteger(input.limit) || input.limit < 0)
    throw new UsageError('--limit must be a whole number ≥ 0');
  const engine = engineFor(input.config.warehouse.type);
  let graph = input.graph;
  let id: UniqueId;
  let probe: string | undefined;
  if (input.inline !== undefined) {
    ({ graph, probe } = withInlineNode(graph, input.inline, input.render, engine.dialect));
    id = INLINE_ID;
  } else if (input.node) {
    id = input.node.uniqueId;
  } else {
    throw new UsageError('show needs --select <node> or --inline "<query>"');
  }
  const sql = await compilePreview(input, graph, graph.nodes.get(id)!, probe);
  const { session } = await openWarehouse(input.config, { readOnly: true });
  try {
    const rows = await session.query(`SELECT * FROM (\n${sql}\n) AS __vl_show LIMIT ${input.limit}`);
    const columns = rows[0] ? Object.keys(rows[0]) : [];
    return { sql, columns, rows: plainRows(rows) };
  } finally {
    await session.close();
  }
}

/** Step 1: the preview's one query, its sources brought up to date; the write session is closed after. */
async function compilePreview(
  input: PreviewInput,
  graph: ProjectGraph,
  node: GraphNode,
  probe: string | undefined,
): Promise<string> {
  const { engine, session } = await openWarehouse(input.config);
  try {
    // An inline query is refused before it can touch anything (its ref()s resolved to placeholders).
    if (probe !== undefined) await checkedQuery(session, probe, INLINE_ORIGIN);
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
      target: {
        name: input.config.profile ?? 'dev',
        type: engine.dialect.name,
        schema: engine.dialect.defaultSchema,
      },
    };
    if (node.resourceType === 'seed' || node.resourceType === 'vault') {
      return `SELECT * FROM ${relationOf(engine.dialect, node)}`;
    }
    if (node.resourceType === 'source') {
      return `SELECT * FROM ${(await env.sources.fullRead(node)).relation}`;
    }
    const { ephemerals, sources } = inlinedEphemerals(graph, node.uniqueId);
    const step = {
      uniqueId: node.uniqueId,
      kind: 'model' as const,
      after: [],
      level: 0,
      ephemerals,
      sources,
    };
    const reads = await readSources(env, step, {});
    const thisRelation = node.resourceType === 'model' ? relationOf(engine.dialect, node) : '';
    return await compileStep(env, step, relationResolver(env, reads), { isIncremental: false, thisRelation });
  } finally {
    await session.close();
  }
}

/**
 * The inline query as a model of its own. Its dependencies are found by rendering it once with every
 * model, seed and source allowed and recording which ones it asks for; that render (relations as
 * placeholders) is returned too, to be checked before anything runs.
 */
function withInlineNode(
  graph: ProjectGraph,
  sql: string,
  render: RenderNode,
  dialect: Dialect,
): { graph: ProjectGraph; probe: string } {
  const everything = [...graph.nodes.values()]
    .filter((n) => n.resourceType !== 'test')
    .map((n) => n.uniqueId);
  const probeNode: ModelNode = {
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
    schema: dialect.defaultSchema,
    alias: 'inline_query',
    columns: [],
  };
  const used = new Set<UniqueId>();
  const probeGraph = { ...graph, nodes: new Map(graph.nodes).set(INLINE_ID, probeNode) };
  const probe = render(probeGraph, probeNode, {
    relationFor: (uid) => {
      used.add(uid);
      return dialect.quoteIdentifier(uid);
    },
    isIncremental: false,
    thisRelation: dialect.quoteIdentifier('inline_query'),
    target: { name: 'default', type: dialect.name, schema: dialect.defaultSchema },
    vars: { ...(graph.vars ?? {}) },
    dialect: dialect.name,
    literal: (value) => dialect.literal(value),
  });
  const node: ModelNode = { ...probeNode, dependsOn: [...used] };
  return { graph: { ...graph, nodes: new Map(graph.nodes).set(INLINE_ID, node) }, probe };
}
