import type { Column } from '../../engine/catalog.ts';
import type { Dialect } from '../../engine/dialect.ts';
import { fitIdentifier } from '../../engine/identifiers.ts';

/** Where a materialization writes, and what is there now. */
export interface BuildTarget {
  schema: string;
  name: string;
  /** What already exists under that name (a view becomes a table or the reverse). */
  existing: 'table' | 'view' | undefined;
  /**
   * Engines whose views bind early (`capabilities.lateBoundViews` false): the existing view keeps its
   * columns under the new SQL (`viewColumnsKept`), so `CREATE OR REPLACE VIEW` can replace it in
   * place and the views over it stay. Unknown or false: the relation is swapped (replaceRelation).
   */
  viewColumnsKept?: boolean;
}

export function targetRelation(dialect: Dialect, target: BuildTarget): string {
  return dialect.relation(target.schema, target.name);
}

export function createSchema(dialect: Dialect, schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdentifier(schema)}`;
}

/** The names a swap builds under and moves the old relation to (then dropped). */
export const SWAP_SUFFIX = { building: '__vl_tmp', old: '__vl_old' } as const;

/**
 * Replaces whatever is at `target` with `kind AS sql`. Runs inside one transaction (the step's), so
 * on engines with transactional DDL a failure leaves the previous relation untouched.
 *
 * - Late-bound views (DuckDB): a relation of the other kind is dropped, then `CREATE OR REPLACE`
 *   (or DROP + CREATE where the engine lacks it for this kind). Views over the target are untouched.
 * - Early-bound views (PostgreSQL): a view whose columns stay (new ones only at the end) is replaced
 *   in place; anything else is swapped as dbt-postgres does — built as `<name>__vl_tmp`, the old
 *   relation renamed to `<name>__vl_old`, the new one renamed into place, the old one dropped with
 *   CASCADE. CASCADE drops the views that read the old relation: a build rebuilds those that are
 *   models downstream of it (src/run/CONTEXT.md, "Replacing a relation").
 */
export function replaceRelation(
  dialect: Dialect,
  target: BuildTarget,
  kind: 'TABLE' | 'VIEW',
  sql: string,
): string[] {
  const relation = targetRelation(dialect, target);
  const own = kind === 'TABLE' ? 'table' : 'view';
  const out = [createSchema(dialect, target.schema)];
  const { createOrReplace, lateBoundViews } = dialect.capabilities;
  if (!lateBoundViews) {
    if (target.existing === undefined) return [...out, `CREATE ${kind} ${relation} AS\n${sql}`];
    if (own === 'view' && target.existing === 'view' && target.viewColumnsKept && createOrReplace.view)
      return [...out, `CREATE OR REPLACE VIEW ${relation} AS\n${sql}`];
    return [...out, ...swapStatements(dialect, { ...target, existing: target.existing }, kind, sql)];
  }
  const other = own === 'table' ? 'view' : 'table';
  if (target.existing === other) out.push(`DROP ${other.toUpperCase()} ${relation}`);
  if (createOrReplace[own]) {
    out.push(`CREATE OR REPLACE ${kind} ${relation} AS\n${sql}`);
  } else {
    if (target.existing === own) out.push(`DROP ${kind} ${relation}`);
    out.push(`CREATE ${kind} ${relation} AS\n${sql}`);
  }
  return out;
}

function swapStatements(
  dialect: Dialect,
  target: BuildTarget & { existing: 'table' | 'view' },
  kind: 'TABLE' | 'VIEW',
  sql: string,
): string[] {
  const at = (name: string) => dialect.relation(target.schema, name);
  // Fitted: a name near the engine's limit would otherwise lose its suffix, and both would be one name.
  const building = fitIdentifier(dialect, target.name, SWAP_SUFFIX.building);
  const old = fitIdentifier(dialect, target.name, SWAP_SUFFIX.old);
  const existing = target.existing.toUpperCase();
  return [
    `CREATE ${kind} ${at(building)} AS\n${sql}`,
    `ALTER ${existing} ${at(target.name)} RENAME TO ${dialect.quoteIdentifier(old)}`,
    `ALTER ${kind} ${at(building)} RENAME TO ${dialect.quoteIdentifier(target.name)}`,
    `DROP ${existing} ${at(old)} CASCADE`,
  ];
}

/**
 * Whether `CREATE OR REPLACE VIEW` keeps a view with columns `existing` when its SQL now gives
 * `incoming`: the same names and types in the same order, new columns only after them (the rule of
 * PostgreSQL, whose views bind early).
 */
export function viewColumnsKept(existing: readonly Column[], incoming: readonly Column[]): boolean {
  if (incoming.length < existing.length) return false;
  return existing.every((c, i) => {
    const now = incoming[i];
    return now !== undefined && now.name === c.name && now.dataType === c.dataType;
  });
}
