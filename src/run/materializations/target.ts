import type { Dialect } from '../../engine/dialect.ts';

/** Where a materialization writes, and what is there now. */
export interface BuildTarget {
  schema: string;
  name: string;
  /** What already exists under that name (a view becomes a table or the reverse by dropping it first). */
  existing: 'table' | 'view' | undefined;
}

export function targetRelation(dialect: Dialect, target: BuildTarget): string {
  return dialect.relation(target.schema, target.name);
}

export function createSchema(dialect: Dialect, schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(schema)}`;
}

/** Replaces whatever is at `target` with `kind AS sql`. Runs inside one transaction (the executor's),
 * so on engines with transactional DDL a failure leaves the previous relation untouched. */
export function replaceRelation(
  dialect: Dialect,
  target: BuildTarget,
  kind: 'TABLE' | 'VIEW',
  sql: string,
): string[] {
  const relation = targetRelation(dialect, target);
  const out = [createSchema(dialect, target.schema)];
  const other = kind === 'TABLE' ? 'view' : 'table';
  if (target.existing === other) out.push(`DROP ${other.toUpperCase()} ${relation}`);
  if (dialect.capabilities.createOrReplace[kind === 'TABLE' ? 'table' : 'view']) {
    out.push(`CREATE OR REPLACE ${kind} ${relation} AS\n${sql}`);
  } else {
    if (target.existing === kind.toLowerCase()) out.push(`DROP ${kind} ${relation}`);
    out.push(`CREATE ${kind} ${relation} AS\n${sql}`);
  }
  return out;
}
