import { createHash } from 'node:crypto';
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

/**
 * The longest name vaultline generates for its own relations (temporary tables and views, swap
 * names): PostgreSQL cuts identifiers at 63 bytes, so two longer names sharing their first 63 bytes
 * would be one relation there (`<63-byte model>__vl_tmp` is the model itself). Kept on every engine,
 * so generated SQL is the same everywhere.
 */
export const MAX_GENERATED_NAME_BYTES = 63;

/**
 * `name`, or when it is longer than MAX_GENERATED_NAME_BYTES its start, an 8-hex digest of the whole
 * name and `keep` (a suffix that must survive, like `__vl_tmp`): still unique, and recognisable.
 */
export function boundedName(name: string, keep = ''): string {
  const full = `${name}${keep}`;
  if (Buffer.byteLength(full) <= MAX_GENERATED_NAME_BYTES) return full;
  const digest = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const room = MAX_GENERATED_NAME_BYTES - Buffer.byteLength(`_${digest}${keep}`);
  let start = name;
  while (Buffer.byteLength(start) > room) start = start.slice(0, -1);
  return `${start}_${digest}${keep}`;
}

/** A name usable inside one identifier (temp views, temp tables): letters, digits and "_" only. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_]+/g, '_');
}
