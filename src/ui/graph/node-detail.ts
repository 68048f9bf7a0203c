import type { VaultlineConfig } from '../../config/schema.ts';
import type { Row, Session } from '../../engine/dialect.ts';
import { engineFor } from '../../engine/engine.ts';
import { projectHashMacros } from '../../project/hash-macros.ts';
import type { ColumnSpec, GraphNode, ProjectGraph, TestNode } from '../../project/types.ts';
import { hashingFingerprint } from '../../vault/hashing.ts';
import type { VaultEntitySpec } from '../../vault/types.ts';
import { compiledSql } from '../compiled-sql.ts';
import { type NodeSummary, nodeSummary } from './node-kind.ts';
import { derivedColumnDescriptions, type VaultKeys, vaultKeys } from './vault-keys.ts';
import { warehouseFacts } from './warehouse-facts.ts';

export interface NodeColumn {
  name: string;
  /** The type in the warehouse (as built), else the declared data_type, else null. */
  type: string | null;
  description: string | null;
  /** False for a column described in YAML that the built relation does not have. */
  in_warehouse: boolean | null;
}

/** The node page: the data dictionary of one node and what the warehouse knows of it. */
export interface NodeDetail extends NodeSummary {
  description: string | null;
  materialized: string | null;
  relation: string | null;
  columns: NodeColumn[];
  raw_sql: string | null;
  compiled_sql: string | null;
  compiled_from: string | null;
  compile_error: string | null;
  tests: (NodeSummary & {
    test_name: string | null;
    column: string | null;
    severity: string;
    last: Row | null;
    failing_rows: Row[] | null;
  })[];
  row_count: number | null;
  last_build: Row | null;
  upstream: NodeSummary[];
  downstream: NodeSummary[];
  load_audit: Row[] | null;
  vault:
    | (VaultKeys & {
        hashing: { configured: unknown; expected: string; recorded: string | null; matches: boolean | null };
        load_log: Row[] | null;
      })
    | null;
}

/** Tests on the node: attached to it, or reading it (singular tests and relationships). */
function testsOf(graph: ProjectGraph, node: GraphNode): TestNode[] {
  const out: TestNode[] = [];
  for (const child of graph.children.get(node.uniqueId) ?? []) {
    const test = graph.nodes.get(child);
    if (test?.resourceType === 'test') out.push(test);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function declaredColumns(node: GraphNode): ColumnSpec[] {
  return node.resourceType === 'test' || node.resourceType === 'vault' ? [] : (node.columns ?? []);
}

/**
 * Everything the node page shows about `id`, or undefined for an unknown id. Project facts come from
 * the graph; types, counts and results from the warehouse through `read` (a read connection of its
 * own), each left null when the warehouse does not have it yet.
 */
export async function nodeDetail(
  config: VaultlineConfig,
  graph: ProjectGraph,
  id: string,
  read: <T>(work: (session: Session) => Promise<T>) => Promise<T>,
): Promise<NodeDetail | undefined> {
  const node = graph.nodes.get(id);
  if (!node) return undefined;
  const tests = testsOf(graph, node);
  const [compiled, facts] = await Promise.all([
    compiledSql(config, graph, node),
    read((session) => warehouseFacts(config, session, node, tests)),
  ]);
  const summary = (ids: readonly string[]) =>
    ids.flatMap((other) => {
      const n = graph.nodes.get(other);
      return n ? [nodeSummary(n)] : [];
    });
  const spec = node.resourceType === 'vault' ? (node.spec as VaultEntitySpec) : undefined;
  const keys = spec ? vaultKeys(spec) : undefined;

  // Warehouse order first (what SELECT * returns), then documented columns the relation lacks.
  const declared = new Map(declaredColumns(node).map((c) => [c.name.toLowerCase(), c]));
  const derived = new Map((keys ? derivedColumnDescriptions(keys) : []).map((c) => [c.name, c]));
  // A vault entity's attributes and business keys are staging columns: their YAML says what they are.
  if (node.resourceType === 'vault')
    for (const parent of node.dependsOn) {
      const upstream = graph.nodes.get(parent);
      for (const column of upstream ? declaredColumns(upstream) : [])
        if (column.description && !derived.has(column.name)) derived.set(column.name, column);
    }
  const columns: NodeColumn[] = [];
  for (const column of facts.columns ?? []) {
    const spec = declared.get(column.name.toLowerCase());
    declared.delete(column.name.toLowerCase());
    columns.push({
      name: column.name,
      type: column.dataType,
      description: spec?.description ?? derived.get(column.name)?.description ?? null,
      in_warehouse: true,
    });
  }
  for (const spec of declared.values())
    columns.push({
      name: spec.name,
      type: spec.dataType ?? null,
      description: spec.description ?? null,
      in_warehouse: facts.columns ? false : null,
    });

  let vault: NodeDetail['vault'] = null;
  if (node.resourceType === 'vault' && spec && keys) {
    const dialect = engineFor(config.warehouse.type).dialect;
    const macros = projectHashMacros(graph, { dialect, standard: spec.hashing, vars: config.vars });
    const expected = hashingFingerprint(spec.hashing, macros);
    vault = {
      ...keys,
      hashing: {
        configured: spec.hashing,
        expected,
        recorded: facts.hashing_recorded,
        matches: facts.hashing_recorded === null ? null : facts.hashing_recorded === expected,
      },
      load_log: facts.load_log,
    };
  }

  return {
    ...nodeSummary(node),
    description: node.description ?? null,
    materialized: node.resourceType === 'model' ? node.materialized : null,
    relation:
      node.resourceType === 'test'
        ? null
        : node.resourceType === 'source'
          ? `sources.${node.sourceName}__${node.tableName}`
          : `${node.schema}.${node.alias}`,
    columns,
    raw_sql: node.resourceType === 'model' || node.resourceType === 'test' ? (node.rawSql ?? null) : null,
    compiled_sql: compiled.sql,
    compiled_from: compiled.from,
    compile_error: compiled.error ?? null,
    tests: tests.map((test) => {
      const last = facts.test_results[test.uniqueId] ?? null;
      const sample = typeof last?.sample === 'string' ? (JSON.parse(last.sample) as Row[]) : null;
      return {
        ...nodeSummary(test),
        test_name: test.testName ?? null,
        column: test.columnName ?? null,
        severity: test.severity,
        last: last ? { ...last, sample: undefined } : null,
        failing_rows: facts.stored_failures[test.uniqueId] ?? sample,
      };
    }),
    row_count: facts.row_count,
    last_build: facts.last_build,
    upstream: summary(node.dependsOn),
    downstream: summary(graph.children.get(node.uniqueId) ?? []).filter((n) => n.resource_type !== 'test'),
    load_audit: facts.load_audit,
    vault,
  };
}
