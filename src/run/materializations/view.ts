import type { Dialect } from '../../engine/dialect.ts';
import { type BuildTarget, replaceRelation } from './target.ts';

/** `materialized: view` — the model's SELECT saved as a view; nothing is stored. */
export function viewStatements(dialect: Dialect, target: BuildTarget, sql: string): string[] {
  return replaceRelation(dialect, target, 'VIEW', sql);
}
