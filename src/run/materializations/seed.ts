import type { Dialect } from '../../engine/dialect.ts';
import type { FileSql } from '../../engine/files.ts';
import { type BuildTarget, replaceRelation } from './target.ts';

/** Seeds: a CSV loaded into a table, replaced in full on every `seed` / `build` (column types from YAML). */
export function seedStatements(
  dialect: Dialect,
  files: FileSql,
  target: BuildTarget,
  csvPath: string,
  columnTypes: Record<string, string>,
): string[] {
  return replaceRelation(dialect, target, 'TABLE', files.csvSelect(csvPath, columnTypes));
}
