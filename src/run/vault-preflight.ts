import type { Column } from '../engine/catalog.ts';
import type { Session } from '../engine/dialect.ts';
import type { Engine } from '../engine/engine.ts';
import type { GraphNode, ModelNode, ProjectGraph, SourceNode, UniqueId } from '../project/types.ts';
import { DiagnosticsError } from '../shared/errors.ts';
import { checkStagingColumns, preflightRelations, type VaultEntitySpec } from '../vault/index.ts';
import { ephemeralCteName, withEphemerals } from './materializations/ephemeral.ts';
import type { ExecutionPlan, PlanStep } from './plan.ts';
import { relationOf, schemaAndName } from './relations.ts';
import type { RenderContext, RenderNode } from './render-context.ts';
import { rawColumns } from './sources/raw-tables.ts';

export interface VaultPreflightInput {
  plan: ExecutionPlan;
  engine: Engine;
  session: Session;
  render: RenderNode;
  vars: Record<string, unknown>;
  target: RenderContext['target'];
  fullRefresh: boolean;
}

/**
 * Before a run executes any node: the staging columns every planned vault entity names must exist in
 * the columns its staging relation will have when the entity loads. Those are found without building
 * anything: a staging model this run builds is described from its compiled SELECT (sources as empty
 * relations typed by their contract, models this run builds as their own described SELECT, others as
 * they are in the warehouse); one the run leaves alone from the catalog; a seed from its CSV header.
 * What cannot be known (a source without a contract that was never read, SQL that does not bind yet)
 * is left to the load. Every problem is reported at once, at its YAML line: DiagnosticsError, exit 2.
 */
export async function checkVaultInputs(input: VaultPreflightInput): Promise<void> {
  const graph = input.plan.graph;
  const specs = input.plan.steps
    .filter((s) => s.kind === 'vault')
    .map((s) => graph.nodes.get(s.uniqueId))
    .flatMap((n) => (n?.resourceType === 'vault' ? [n.spec as VaultEntitySpec] : []));
  if (specs.length === 0) return;
  const future = new FutureColumns(input);
  const columns = new Map<string, readonly string[] | undefined>();
  for (const name of preflightRelations(specs)) {
    const node = stagingNode(graph, name);
    columns.set(name, node ? (await future.of(node))?.map((c) => c.name) : undefined);
  }
  const diagnostics = checkStagingColumns(specs, (name) => columns.get(name));
  if (diagnostics.length > 0) {
    throw new DiagnosticsError(
      `${diagnostics.length} vault column problem(s) found before the run started (nothing was built or changed):`,
      diagnostics,
    );
  }
}

function stagingNode(graph: ProjectGraph, name: string): GraphNode | undefined {
  return (
    graph.nodes.get(`model.${graph.projectName}.${name}`) ??
    graph.nodes.get(`seed.${graph.projectName}.${name}`)
  );
}

/** Thrown inside a render when an input's columns cannot be known; the model is then not checked. */
class Unknowable extends Error {}

class FutureColumns {
  private readonly steps: Map<UniqueId, PlanStep>;
  private readonly memo = new Map<UniqueId, Promise<Column[] | undefined>>();

  constructor(private readonly input: VaultPreflightInput) {
    this.steps = new Map(input.plan.steps.map((s) => [s.uniqueId, s]));
  }

  of(node: GraphNode): Promise<Column[] | undefined> {
    let pending = this.memo.get(node.uniqueId);
    if (!pending) {
      pending = this.compute(node);
      this.memo.set(node.uniqueId, pending);
    }
    return pending;
  }

  private async compute(node: GraphNode): Promise<Column[] | undefined> {
    if (node.resourceType === 'seed' && node.columns)
      return node.columns.map((c) => ({ name: c.name, dataType: '' }));
    if (node.resourceType !== 'model' || node.materialized === 'ephemeral') return this.existing(node);
    const step = this.steps.get(node.uniqueId);
    if (!step) return this.existing(node);
    // An incremental table that keeps its columns (on_schema_change: ignore) has what it has now.
    if (node.incremental?.onSchemaChange === 'ignore' && !this.input.fullRefresh) {
      const now = await this.existing(node);
      if (now) return now;
    }
    try {
      const sql = await this.describableSql(node, step);
      return await this.input.engine.catalog.queryColumns(this.input.session, sql);
    } catch {
      // Not knowable before the run (or the SQL is broken, which its own step reports).
      return undefined;
    }
  }

  private async existing(node: GraphNode): Promise<Column[] | undefined> {
    const { schema, name } = schemaAndName(node);
    const columns = await this.input.engine.catalog.columns(this.input.session, schema, name);
    return columns.length > 0 ? columns : undefined;
  }

  /**
   * The model's SELECT with every input replaced by something that binds before the run: what
   * describing it gives is the relation the run will build (incremental models: their full query).
   */
  private async describableSql(node: ModelNode, step: PlanStep): Promise<string> {
    const { plan, engine, render, vars, target } = this.input;
    const graph = plan.graph;
    const dialect = engine.dialect;
    const inputs = new Map<UniqueId, string>();
    for (const id of new Set([
      ...node.dependsOn,
      ...step.ephemerals.flatMap((e) => graph.nodes.get(e)?.dependsOn ?? []),
    ])) {
      const upstream = graph.nodes.get(id);
      if (upstream) inputs.set(id, await this.inputRelation(upstream));
    }
    const ctx: RenderContext = {
      literal: (value) => dialect.literal(value),
      relationFor: (id) => {
        const known = inputs.get(id);
        if (known !== undefined) return known;
        const upstream = graph.nodes.get(id);
        if (!upstream) throw new Unknowable(id);
        return relationOf(dialect, upstream);
      },
      isIncremental: false,
      thisRelation: relationOf(dialect, node),
      target,
      vars,
      dialect: dialect.name,
    };
    const ctes = step.ephemerals.map((id) => {
      const ephemeral = graph.nodes.get(id)!;
      return {
        node: ephemeral,
        sql: render(graph, ephemeral, { ...ctx, thisRelation: ephemeralCteName(ephemeral) }),
      };
    });
    return withEphemerals(ctes, render(graph, node, ctx));
  }

  /** What stands for an input of a described model. */
  private async inputRelation(node: GraphNode): Promise<string> {
    const dialect = this.input.engine.dialect;
    if (node.resourceType === 'source') return this.sourceRelation(node);
    if (node.resourceType === 'model' && node.materialized === 'ephemeral') return ephemeralCteName(node);
    if (node.resourceType === 'model' && this.steps.has(node.uniqueId)) {
      const columns = await this.of(node);
      if (!columns) throw new Unknowable(node.uniqueId);
      return typedEmptyRelation(dialect, columns);
    }
    return relationOf(dialect, node);
  }

  /** A source with a contract: an empty relation of its columns; else its view if a run made one. */
  private async sourceRelation(source: SourceNode): Promise<string> {
    const dialect = this.input.engine.dialect;
    if (source.contract && source.sql === undefined) {
      const columns = rawColumns(dialect, source)
        .filter((c) => c.name !== '_ingest_seq')
        .map((c) => ({ name: c.name, dataType: c.type.replace(/\s+NOT NULL$/i, '') }));
      return typedEmptyRelation(dialect, columns);
    }
    if (await this.existing(source)) return relationOf(dialect, source);
    throw new Unknowable(source.uniqueId);
  }
}

/** `(SELECT CAST(NULL AS t) AS "c", … WHERE 1 = 0)`: binds like the relation, holds no row. */
function typedEmptyRelation(dialect: Engine['dialect'], columns: readonly Column[]): string {
  const text = dialect.types.text;
  const list = columns
    .map((c) => `CAST(NULL AS ${c.dataType || text}) AS ${dialect.quoteIdentifier(c.name)}`)
    .join(', ');
  return `(SELECT ${list} WHERE 1 = 0)`;
}
