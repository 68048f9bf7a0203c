/**
 * Tiny hand-built ProjectGraphs and a minimal renderer for testing the run layer on its own (the real
 * renderer is src/project/render.ts). The renderer understands `{{ ref('x') }}`, `{{ source('s','t') }}`,
 * `{{ this }}`, `{% if is_incremental() %}…{% endif %}` and the generic tests not_null / unique /
 * accepted_values; singular tests render their rawSql.
 */
import type {
  GraphNode,
  ModelNode,
  ProjectGraph,
  SeedNode,
  SelectedGraph,
  SourceNode,
  TestNode,
} from '../../src/project/types.ts';
import { parseJsonPath } from '../../src/records/json-path.ts';
import type { RenderContext } from '../../src/run/render-context.ts';

const PROJECT = 'p';

export function model(name: string, rawSql: string, extra: Partial<ModelNode> = {}): ModelNode {
  const refs = [...rawSql.matchAll(/ref\('([^']+)'\)/g)].map((m) => findId(m[1]!));
  const sources = [...rawSql.matchAll(/source\('([^']+)',\s*'([^']+)'\)/g)].map(
    (m) => `source.${PROJECT}.${m[1]}.${m[2]}`,
  );
  return {
    uniqueId: `model.${PROJECT}.${name}`,
    resourceType: 'model',
    name,
    file: `models/${name}.sql`,
    fqn: [name],
    tags: [],
    dependsOn: [...refs, ...sources],
    config: {},
    rawSql,
    materialized: 'table',
    schema: 'main',
    alias: name,
    columns: [],
    ...extra,
  };
}

/** Refs resolve to seeds named `seed_*`, else models. */
function findId(name: string): string {
  return name.startsWith('seed_') ? `seed.${PROJECT}.${name}` : `model.${PROJECT}.${name}`;
}

export function source(sourceName: string, tableName: string, extra: Partial<SourceNode> = {}): SourceNode {
  return {
    uniqueId: `source.${PROJECT}.${sourceName}.${tableName}`,
    resourceType: 'source',
    name: tableName,
    file: 'models/sources.yml',
    fqn: [sourceName, tableName],
    tags: [],
    dependsOn: [],
    config: {},
    records: {
      layout: extra.sql !== undefined ? 'document' : 'rows',
      missing: 'quarantine',
      maxDepth: 256,
      ...(extra.recordsPath !== undefined ? { container: parseJsonPath(extra.recordsPath).segments } : {}),
    },
    tolerance: { maxRejects: 0, maxQuarantined: 0 },
    sourceName,
    tableName,
    landingPrefix: `${sourceName}/${tableName}`,
    columns: [],
    ...extra,
  };
}

export function seed(name: string, path: string, columnTypes: Record<string, string> = {}): SeedNode {
  return {
    uniqueId: `seed.${PROJECT}.${name}`,
    resourceType: 'seed',
    name,
    file: `seeds/${name}.csv`,
    fqn: [name],
    tags: [],
    dependsOn: [],
    config: {},
    path,
    schema: 'main',
    alias: name,
    columnTypes,
  };
}

export function test(
  name: string,
  on: string,
  spec: {
    testName?: string;
    columnName?: string;
    rawSql?: string;
    severity?: 'error' | 'warn';
    values?: string[];
  },
): TestNode {
  const attached = on.includes('.') ? on : findId(on);
  return {
    uniqueId: `test.${PROJECT}.${name}`,
    resourceType: 'test',
    name,
    file: 'models/schema.yml',
    fqn: [name],
    tags: [],
    dependsOn: [attached],
    config: {},
    testType: spec.rawSql ? 'singular' : 'generic',
    testName: spec.testName,
    attachedNode: attached,
    columnName: spec.columnName,
    arguments: spec.values ? { values: spec.values } : {},
    severity: spec.severity ?? 'error',
    rawSql: spec.rawSql,
  };
}

export function graphOf(nodes: GraphNode[], projectDir = '/tmp/p'): ProjectGraph {
  const map = new Map(nodes.map((n) => [n.uniqueId, n]));
  const children = new Map<string, string[]>();
  for (const n of nodes)
    for (const d of n.dependsOn) children.set(d, [...(children.get(d) ?? []), n.uniqueId]);
  return { projectName: PROJECT, projectDir, nodes: map, children, macros: [], diagnostics: [] };
}

export function selectAll(graph: ProjectGraph, only?: string[]): SelectedGraph {
  const ids = only ? only : [...graph.nodes.keys()];
  return { graph, selected: new Set(ids), warnings: [] };
}

export function miniRender(_graph: ProjectGraph, node: GraphNode, ctx: RenderContext): string {
  if (node.resourceType === 'test') return renderTest(node, ctx);
  if (node.resourceType !== 'model') throw new Error(`cannot render ${node.resourceType}`);
  return renderSql(node.rawSql, ctx);
}

function renderSql(sql: string, ctx: RenderContext): string {
  return sql
    .replace(/\{%\s*if is_incremental\(\)\s*%\}([\s\S]*?)\{%\s*endif\s*%\}/g, (_m, body: string) =>
      ctx.isIncremental ? body : '',
    )
    .replace(/\{\{\s*ref\('([^']+)'\)\s*\}\}/g, (_m, name: string) => ctx.relationFor(findId(name)))
    .replace(/\{\{\s*source\('([^']+)',\s*'([^']+)'\)\s*\}\}/g, (_m, s: string, t: string) =>
      ctx.relationFor(`source.${PROJECT}.${s}.${t}`),
    )
    .replace(/\{\{\s*this\s*\}\}/g, ctx.thisRelation)
    .replace(/\{\{\s*var\('([^']+)'\)\s*\}\}/g, (_m, name: string) => String(ctx.vars[name]));
}

function renderTest(node: TestNode, ctx: RenderContext): string {
  if (node.rawSql) return renderSql(node.rawSql, ctx);
  const rel = ctx.relationFor(node.attachedNode!);
  const col = `"${node.columnName}"`;
  switch (node.testName) {
    case 'not_null':
      return `select * from ${rel} where ${col} is null`;
    case 'unique':
      return `select ${col} as unique_field, count(*) as n_records from ${rel} where ${col} is not null group by ${col} having count(*) > 1`;
    case 'accepted_values': {
      const values = (node.arguments.values as string[]).map((v) => `'${v}'`).join(', ');
      return `select ${col} as value_field, count(*) as n_records from ${rel} where ${col} not in (${values}) group by ${col}`;
    }
    default:
      throw new Error(`mini renderer: no test ${node.testName}`);
  }
}
