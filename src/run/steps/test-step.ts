import type { TestNode } from '../../project/types.ts';
import { failureCountQuery, failureSampleQuery, plainRows } from '../data-tests.ts';
import type { BuildTarget } from '../materializations/target.ts';
import type { PlanStep } from '../plan.ts';
import {
  storedCountQuery,
  storedFailuresMessage,
  storedSampleQuery,
  storeFailuresStatements,
} from '../store-failures.ts';
import type { StepOutcome } from './outcome.ts';
import { compileStep, nodeOf, type RunEnvironment, readSources, relationResolver } from './step-context.ts';
import { compiled } from './step-failure.ts';

/**
 * Runs one data test: its rendered SQL returns the failing rows; none → pass; some → fail (severity
 * error) or warn (severity warn), with the count and a sample of up to five rows. With
 * `store_failures`, the query runs once into `<schema>.<test name>` (every failing row, replaced in
 * one transaction) and the count and sample read that table.
 */
export async function runTestStep(env: RunEnvironment, step: PlanStep): Promise<StepOutcome> {
  const node = nodeOf<TestNode>(env, step.uniqueId);
  const reads = await readSources(env, step, {});
  const sql = await compileStep(env, step, relationResolver(env, reads), {
    isIncremental: false,
    thisRelation: '',
  });
  return compiled(sql, () => runTestQuery(env, node, sql));
}

async function runTestQuery(env: RunEnvironment, node: TestNode, sql: string): Promise<StepOutcome> {
  if (node.storeFailures) return storingFailures(env, node, node.storeFailures, sql);
  const [count] = await env.session.query<{ failures: bigint | number }>(failureCountQuery(sql));
  const failures = Number(count?.failures ?? 0);
  if (failures === 0) return { status: 'pass', failures: 0, compiledSql: sql };
  const sample = plainRows(await env.session.query(failureSampleQuery(sql)));
  return {
    status: failedStatus(node),
    failures,
    sample,
    compiledSql: sql,
    message: `${failures} failing row${failures === 1 ? '' : 's'}`,
  };
}

function failedStatus(node: TestNode): 'warn' | 'fail' {
  return node.severity === 'warn' ? 'warn' : 'fail';
}

async function storingFailures(
  env: RunEnvironment,
  node: TestNode,
  store: { schema: string; name: string },
  sql: string,
): Promise<StepOutcome> {
  const { dialect, catalog } = env.engine;
  const existing = await catalog.relationKind(env.session, store.schema, store.name);
  const target: BuildTarget = { ...store, existing };
  const { failures, sample } = await env.session.transaction(async (tx) => {
    for (const statement of storeFailuresStatements(dialect, target, sql)) await tx.execute(statement);
    const [count] = await tx.query<{ failures: bigint | number }>(storedCountQuery(dialect, target));
    const failures = Number(count?.failures ?? 0);
    const sample = failures > 0 ? plainRows(await tx.query(storedSampleQuery(dialect, target))) : [];
    return { failures, sample };
  });
  if (failures === 0) return { status: 'pass', failures: 0, compiledSql: sql };
  return {
    status: failedStatus(node),
    failures,
    sample,
    compiledSql: sql,
    message: storedFailuresMessage(failures, store),
  };
}
