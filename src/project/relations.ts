import type { GraphNode, ProjectGraph, UniqueId } from './types.ts';

/**
 * Where each node lives in the warehouse: one function both layers use, so `vaultline compile` and
 * `vaultline run` name the same relations.
 * - models, seeds and vault entities: schema from config (`+schema`, default the engine's
 *   `Dialect.defaultSchema`: DuckDB "main", PostgreSQL "public"), name = alias
 *   (default: the node name);
 * - sources: schema "sources", name `<source>__<table>` (the run layer materialises the landed
 *   payloads there, or substitutes its own relation through RenderContext.relationFor);
 * - ephemeral models: a CTE named `__vl_ephemeral__<name>`, inlined into the models that ref them.
 */
export const SOURCE_SCHEMA = 'sources';

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface RelationIdentity {
  schema: string;
  name: string;
}

/** Schema and name of a node's relation; tests have none. */
export function relationIdentity(node: GraphNode): RelationIdentity {
  switch (node.resourceType) {
    case 'model':
    case 'seed':
    case 'vault':
      return { schema: node.schema, name: node.alias };
    case 'source':
      return { schema: SOURCE_SCHEMA, name: `${node.sourceName}__${node.tableName}` };
    case 'test':
      throw new Error(`${node.uniqueId} is a test and has no relation`);
  }
}

/** `"schema"."name"`. */
export function relationName(node: GraphNode): string {
  const { schema, name } = relationIdentity(node);
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

export function ephemeralCteName(node: GraphNode): string {
  return `__vl_ephemeral__${node.name}`;
}

export function isEphemeral(node: GraphNode | undefined): boolean {
  return node?.resourceType === 'model' && node.materialized === 'ephemeral';
}

/**
 * relationFor as `vaultline compile` uses it: warehouse relations, ephemeral models as their CTE
 * names (see renderWithEphemerals in ephemeral.ts, which defines those CTEs).
 */
export function defaultRelationFor(graph: ProjectGraph): (uniqueId: UniqueId) => string {
  return (uniqueId) => {
    const node = graph.nodes.get(uniqueId);
    if (!node) throw new Error(`unknown node ${uniqueId}`);
    return isEphemeral(node) ? ephemeralCteName(node) : relationName(node);
  };
}

/** Where a node's compiled SQL goes, relative to `<target>/compiled/` (`compile`, and `run` on errors). */
export function compiledPath(node: GraphNode): string {
  // Generic tests and vault entities are declared in YAML: their SQL goes beside it, one file each.
  if ((node.resourceType === 'test' && node.testType === 'generic') || node.resourceType === 'vault')
    return `${node.file}/${node.name}.sql`;
  return node.file;
}
