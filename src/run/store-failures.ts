import type { Dialect } from '../engine/dialect.ts';
import { SAMPLE_SIZE } from './data-tests.ts';
import { tableStatements } from './materializations/table.ts';
import { type BuildTarget, targetRelation } from './materializations/target.ts';
import { wrappable } from './sql.ts';

/**
 * `store_failures` (src/project/test-failures.ts): the test's query runs once, into a table holding
 * every failing row (`<schema>.<test name>`, replaced on each run, empty when the test passes); the
 * count and the sample then read that table. Pure: statements in, statements out (golden-tested).
 */
export function storeFailuresStatements(dialect: Dialect, target: BuildTarget, sql: string): string[] {
  return tableStatements(dialect, target, `SELECT * FROM (\n${wrappable(sql)}\n) AS __vl_test`);
}

export function storedCountQuery(dialect: Dialect, target: BuildTarget): string {
  return `SELECT count(*) AS failures FROM ${targetRelation(dialect, target)}`;
}

export function storedSampleQuery(dialect: Dialect, target: BuildTarget, limit = SAMPLE_SIZE): string {
  return `SELECT * FROM ${targetRelation(dialect, target)} LIMIT ${limit}`;
}

/** `12 failing rows stored in vaultline_test_failures.not_null_stg_x_id`. */
export function storedFailuresMessage(failures: number, target: { schema: string; name: string }): string {
  return `${failures} failing row${failures === 1 ? '' : 's'} stored in ${target.schema}.${target.name}`;
}
