import type { TestNode } from '../../project/types.ts';
import { failureCountQuery, failureSampleQuery, plainRows } from '../data-tests.ts';
import type { PlanStep } from '../plan.ts';
import type { StepOutcome } from './outcome.ts';
import { compileStep, nodeOf, type RunEnvironment, readSources, relationResolver } from './step-context.ts';

/**
 * Runs one data test: its rendered SQL returns the failing rows; none → pass; some → fail (severity
 * error) or warn (severity warn), with the count and a sample of up to five rows.
 */
export async function runTestStep(env: RunEnvironment, step: PlanStep): Promise<StepOutcome> {
  const node = nodeOf<TestNode>(env, step.uniqueId);
  const reads = await readSources(env, step, {});
  const sql = compileStep(env, step, relationResolver(env, reads), {
    isIncremental: false,
    thisRelation: '',
  });
  const [count] = await env.session.query<{ failures: bigint | number }>(failureCountQuery(sql));
  const failures = Number(count?.failures ?? 0);
  if (failures === 0) return { status: 'pass', failures: 0, compiledSql: sql };
  const sample = plainRows(await env.session.query(failureSampleQuery(sql)));
  const status = node.severity === 'warn' ? 'warn' : 'fail';
  return {
    status,
    failures,
    sample,
    compiledSql: sql,
    message: `${failures} failing row${failures === 1 ? '' : 's'}`,
  };
}
