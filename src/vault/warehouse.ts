/**
 * What the executor asks the warehouse before generating SQL: a relation's columns and types
 * (information_schema, which DuckDB and Postgres both have), the high-water marks and the recorded
 * hashing standard of an entity.
 */
import type { Session } from '../engine/dialect.ts';
import type { Relation } from './types.ts';

/** Column name → type in relation order, or undefined when the relation does not exist. */
export async function describeRelation(
  session: Session,
  relation: Relation,
): Promise<Map<string, string> | undefined> {
  const l = (v: string) => session.dialect.literal(v);
  const rows = await session.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns ` +
      `WHERE table_schema = ${l(relation.schema)} AND table_name = ${l(relation.name)} ORDER BY ordinal_position`,
  );
  if (rows.length === 0) return undefined;
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** Several relations in one catalog query (each lookup costs a round trip and a plan). */
export async function describeRelations(
  session: Session,
  relations: Relation[],
): Promise<(Map<string, string> | undefined)[]> {
  const l = (v: string) => session.dialect.literal(v);
  const wanted = relations
    .map((r) => `(table_schema = ${l(r.schema)} AND table_name = ${l(r.name)})`)
    .join(' OR ');
  const rows = await session.query<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
  }>(
    `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns WHERE ${wanted} ` +
      'ORDER BY table_schema, table_name, ordinal_position',
  );
  return relations.map((r) => {
    const mine = rows.filter((row) => row.table_schema === r.schema && row.table_name === r.name);
    return mine.length ? new Map(mine.map((row) => [row.column_name, row.data_type])) : undefined;
  });
}

export function asNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export { timestampText } from '../shared/timestamp-text.ts';
