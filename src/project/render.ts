import { log } from '../shared/logger.ts';
import { RenderError } from './errors.ts';
import { TemplateRenderError, where as whereInFile } from './jinja/errors.ts';
import { Relation } from './jinja/relation.ts';
import { type JinjaState, TemplateUsageError } from './jinja/state.ts';
import { relationIdentity } from './relations.ts';
import { type ProjectRuntime, runtimeFor } from './runtime.ts';
import type { GraphNode, ModelNode, ProjectGraph, RenderContext, TestNode } from './types.ts';

export type { RenderContext } from './types.ts';

/** A test argument written as a Jinja expression (`to: ref('customers')`) is evaluated, as in dbt. */
export function isJinjaExpression(value: unknown): value is string {
  return typeof value === 'string' && /^\s*(ref|source|var|env_var)\s*\(.*\)\s*$/s.test(value);
}

/**
 * The SQL of a model or test, ready to execute: ref()/source() resolved through ctx.relationFor,
 * `this`, `target`, `var()` and `is_incremental()` from ctx. A test renders to a query returning its
 * failing rows (its `where:` config filters the tested relation first). Ephemeral models are not
 * inlined here (see renderWithEphemerals). Throws RenderError naming the node, file and line.
 */
export function renderNode(graph: ProjectGraph, node: GraphNode, ctx: RenderContext): string {
  const runtime = runtimeFor(graph);
  const state = renderState(graph, node, ctx, runtime);
  try {
    if (node.resourceType === 'model') return finish(renderTemplate(runtime, node, node.rawSql, state));
    if (node.resourceType === 'test') {
      if (node.fixedSql !== undefined) return node.fixedSql;
      if (node.testType === 'singular')
        return finish(renderTemplate(runtime, node, node.rawSql ?? '', state));
      return finish(renderGenericTest(graph, runtime, node, ctx, state));
    }
  } catch (error) {
    if (error instanceof TemplateRenderError) {
      const where = `${error.file}${whereInFile(error.problem)}`;
      const hint = error.problem.hint ? ` (${error.problem.hint})` : '';
      throw new RenderError(
        `${where}: ${node.resourceType} ${node.name}: ${error.problem.message}${hint}`,
        node.uniqueId,
        error.file,
        error.problem.line,
      );
    }
    throw error;
  }
  throw new RenderError(
    `${node.uniqueId} is a ${node.resourceType}; only models and tests render`,
    node.uniqueId,
    node.file,
  );
}

/** Trailing whitespace and one trailing semicolon go: the run layer wraps the SQL in DDL. */
function finish(sql: string): string {
  return sql.trim().replace(/;\s*$/, '').trimEnd();
}

function renderTemplate(runtime: ProjectRuntime, node: GraphNode, text: string, state: JinjaState): string {
  const { template, problem } = runtime.engine.compile(node.uniqueId, node.file, text);
  if (!template) throw new TemplateRenderError(problem ?? { message: 'does not compile' }, node.file);
  return runtime.engine.render(template, node.file, state);
}

function renderGenericTest(
  graph: ProjectGraph,
  runtime: ProjectRuntime,
  node: TestNode,
  ctx: RenderContext,
  state: JinjaState,
): string {
  if (!node.attachedNode || !node.testName) {
    throw new TemplateRenderError(
      { message: 'generic test without a tested node', line: node.line },
      node.file,
    );
  }
  const engine = runtime.engine;
  const relationSql = ctx.relationFor(node.attachedNode);
  const attached = graph.nodes.get(node.attachedNode);
  const identity = attached ? safeIdentity(attached) : {};
  let model: Relation = new Relation(relationSql, identity);
  if (node.where) {
    const where = node.where.includes('{') ? engine.renderText(node.where, node.file, state) : node.where;
    model = new Relation(`(select * from ${relationSql} where ${where}) dbt_subquery`, identity);
  }
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node.arguments)) {
    kwargs[key] = isJinjaExpression(value) ? engine.renderText(`{{ ${value} }}`, node.file, state) : value;
  }
  kwargs.model = model;
  if (node.columnName !== undefined) kwargs.column_name = node.columnName;
  return engine.callMacro(`test_${node.testName}`, kwargs, node.file, state);
}

function safeIdentity(node: GraphNode): { schema?: string; identifier?: string } {
  if (node.resourceType === 'test') return {};
  const { schema, name } = relationIdentity(node);
  return { schema, identifier: name };
}

function renderState(
  graph: ProjectGraph,
  node: GraphNode,
  ctx: RenderContext,
  runtime: ProjectRuntime,
): JinjaState {
  const label = `${node.resourceType} ${node.name}`;
  const resolved = (id: string, call: string): Relation => {
    if (!node.dependsOn.includes(id)) {
      throw new TemplateUsageError(
        `${call} was not seen when the project was parsed (it sits in a branch such as {% if is_incremental() %}), so ${node.name} does not depend on it`,
        `add a line "-- depends_on: {{ ${call} }}" to ${node.file} so the dependency is known`,
      );
    }
    const target = graph.nodes.get(id)!;
    return new Relation(ctx.relationFor(id), safeIdentity(target));
  };
  const self = node.resourceType === 'test' ? {} : safeIdentity(node);
  return {
    label,
    phase: 'render',
    ref(name, project) {
      if (project !== undefined && project !== graph.projectName) {
        throw new TemplateUsageError(
          `ref('${project}', '${name}'): no project "${project}" (this is ${graph.projectName})`,
        );
      }
      const id = runtime.byName.get(name);
      if (!id) throw new TemplateUsageError(`ref('${name}'): no model or seed named ${name}`);
      return resolved(id, `ref('${name}')`);
    },
    source(source, table) {
      const id = runtime.bySource.get(`${source}.${table}`);
      if (!id) throw new TemplateUsageError(`source('${source}', '${table}'): no such source table`);
      return resolved(id, `source('${source}', '${table}')`);
    },
    config() {
      // Config was collected at parse time; at render time config() only has to render as nothing.
    },
    configGet(key, fallback) {
      return node.config[key] ?? fallback;
    },
    variable(name, fallback) {
      if (Object.hasOwn(ctx.vars, name)) return ctx.vars[name];
      if (fallback) return fallback.value;
      throw new TemplateUsageError(
        `var('${name}') has no value (${label}, ${node.file})`,
        `add it under vars: in vaultline.yml, pass --vars '{${name}: …}', or give a default: var('${name}', …)`,
      );
    },
    isIncremental: () =>
      node.resourceType === 'model' &&
      ctx.isIncremental &&
      (node as ModelNode).materialized === 'incremental',
    thisRelation: new Relation(ctx.thisRelation, self),
    target: { ...ctx.target },
    dialect: ctx.dialect,
    literal: ctx.literal,
    env: process.env,
    log(message, level) {
      log()[level](`${label}: ${message}`);
    },
  };
}
