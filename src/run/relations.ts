import type { Dialect } from '../engine/dialect.ts';
import { relationIdentity } from '../project/relations.ts';
import type { GraphNode, SourceNode } from '../project/types.ts';

/**
 * Where nodes live in the warehouse — the naming of src/project/relations.ts (so `compile` and `run`
 * agree), spelled by the engine's dialect: models, seeds and vault entities at "<schema>"."<alias>";
 * sources at "sources"."<source>__<table>" (a view over the landed objects, refreshed by each run
 * that reads the source in full).
 */
export { SOURCE_SCHEMA as SOURCES_SCHEMA } from '../project/relations.ts';

export function relationOf(dialect: Dialect, node: GraphNode): string {
  const { schema, name } = relationIdentity(node);
  return dialect.relation(schema, name);
}

/** The schema and name of a node's relation, for catalog lookups. */
export function schemaAndName(node: GraphNode): { schema: string; name: string } {
  return relationIdentity(node);
}

export function sourceRelationName(source: Pick<SourceNode, 'sourceName' | 'tableName'>): string {
  return `${source.sourceName}__${source.tableName}`;
}

/** A name usable inside one identifier (temp views, temp tables): letters, digits and "_" only. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, '_');
}
