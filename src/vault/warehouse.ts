/**
 * What the executor asks the warehouse before generating SQL: a relation's columns and types, through
 * the engine's Catalog (`Column.dataType` is the engine's full type, usable in CREATE TABLE), so the
 * vault never reads an engine's catalog tables itself.
 */
import type { Catalog } from '../engine/catalog.ts';
import type { Session } from '../engine/dialect.ts';
import type { Relation } from './types.ts';

/** Column name → type in relation order, or undefined when the relation does not exist. */
export async function describeRelation(
  session: Session,
  catalog: Catalog,
  relation: Relation,
): Promise<Map<string, string> | undefined> {
  const columns = await catalog.columns(session, relation.schema, relation.name);
  if (columns.length === 0) return undefined;
  return new Map(columns.map((c) => [c.name, c.dataType]));
}

/** Several relations, in order. */
export async function describeRelations(
  session: Session,
  catalog: Catalog,
  relations: Relation[],
): Promise<(Map<string, string> | undefined)[]> {
  const out: (Map<string, string> | undefined)[] = [];
  for (const relation of relations) out.push(await describeRelation(session, catalog, relation));
  return out;
}

export function asNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export { timestampText } from '../shared/timestamp-text.ts';
