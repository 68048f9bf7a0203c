import type { Dialect } from '../../engine/dialect.ts';
import { type BuildTarget, replaceRelation } from './target.ts';

/** `materialized: table` — the model's SELECT stored in full, rebuilt on every run. */
export function tableStatements(dialect: Dialect, target: BuildTarget, sql: string): string[] {
  return replaceRelation(dialect, target, 'TABLE', sql);
}
