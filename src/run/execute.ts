import type { Session } from '../engine/dialect.ts';
import { isCancellation, withSignal } from '../engine/signalled-session.ts';
import type { NodeResult, RunResult, UniqueId } from '../project/types.ts';
import { errorMessage } from './error-message.ts';
import { ensureMetaSchema } from './meta/ensure.ts';
import { nodeResultStatements, runFinishStatement, runStartStatements } from './meta/history.ts';
import type { ExecutionPlan, PlanStep } from './plan.ts';
import { prepareRun } from './prepare-run.ts';
import { SkipTracker } from './skips.ts';
import { runModelStep } from './steps/model-step.ts';
import type { StepOutcome } from './steps/outcome.ts';
import { runSeedStep } from './steps/seed-step.ts';
import type { RunEnvironment } from './steps/step-context.ts';
import { CompiledStepError, failureOutcome } from './steps/step-failure.ts';
import { runTestStep } from './steps/test-step.ts';
import { runVaultStep } from './steps/vault-step.ts';

export interface ProgressEvent {
  phase: 'start' | 'end';
  index: number;
  total: number;
  step: PlanStep;
  result?: NodeResult;
}

export interface ExecuteOptions {
  command: string;
  /**
   * Steps run at the same time (at most). Above 1, each step runs on a connection of its own
   * (`Session.withConnection`), so independent nodes' statements run at the same time.
   */
  threads: number;
  /** Skip nodes downstream of failed tests (build). */
  testsGate: boolean;
  args?: unknown;
  version: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Called when writing run history fails (the run's own results are still returned). */
  onWarning?: (message: string) => void;
}

function runStep(env: RunEnvironment, step: PlanStep): Promise<StepOutcome> {
  switch (step.kind) {
    case 'model':
      return runModelStep(env, step);
    case 'seed':
      return runSeedStep(env, step);
    case 'test':
      return runTestStep(env, step);
    case 'vault':
      return runVaultStep(env, step);
  }
}

export { errorMessage } from './error-message.ts';

const CANCELLED_BEFORE = 'skipped: the run was cancelled before it started';

/** A step stopped by the run's signal: rolled back, so nothing it wrote is kept. */
function cancelledOutcome(error: unknown): StepOutcome {
  return {
    status: 'cancelled',
    message: 'cancelled while it ran: its transaction was rolled back, its relations are as they were',
    ...(error instanceof CompiledStepError ? { compiledSql: error.compiledSql } : {}),
  };
}

/**
 * Runs an ExecutionPlan: steps in dependency order, up to `threads` at a time, each to a NodeResult;
 * downstream nodes of failures are skipped with the reason; history goes to vaultline_meta as it goes.
 * `env.signal` cancels the run: running steps are interrupted and rolled back (status `cancelled`),
 * steps not started are skipped, and the result says `cancelled`.
 */
export async function executePlan(
  plan: ExecutionPlan,
  env: RunEnvironment,
  options: ExecuteOptions,
): Promise<RunResult> {
  const { session, clock, runId, signal } = env;
  const dialect = env.engine.dialect;
  const threads = Math.max(1, options.threads);
  await ensureMetaSchema(session);
  await prepareRun(plan, session);
  const startedAt = clock.now();
  for (const statement of runStartStatements(dialect, {
    runId,
    command: options.command,
    args: options.args,
    startedAt,
    version: options.version,
  })) {
    await session.execute(statement);
  }

  const skips = new SkipTracker(plan, options.testsGate);
  const results = new Map<UniqueId, NodeResult>();
  const total = plan.steps.length;
  let started = 0;

  const runOne = async (step: PlanStep): Promise<void> => {
    const index = ++started;
    options.onProgress?.({ phase: 'start', index, total, step });
    const begun = clock.now();
    const t0 = performance.now();
    const skipReason = signal?.aborted ? CANCELLED_BEFORE : skips.reasonToSkip(step.uniqueId);
    let outcome: StepOutcome;
    // The step's work and its failure report run on one session: the run's own (one step at a
    // time), or a connection of the step's (several at once), carrying the run's signal. The run's
    // bookkeeping (node results, run rows) stays on the run's session, unsignalled, so a cancelled
    // run still records what happened; sources are brought up to date there too.
    const onSession = async (connection: Session): Promise<StepOutcome> => {
      const stepEnv = { ...env, session: withSignal(connection, signal) };
      try {
        return await runStep(stepEnv, step);
      } catch (error) {
        // Whatever stopped a step while the run was being cancelled, its transaction rolled back.
        if (signal?.aborted || isCancellation(error)) return cancelledOutcome(error);
        return failureOutcome(stepEnv, step.uniqueId, error);
      }
    };
    if (skipReason) {
      outcome = { status: 'skipped', message: skipReason };
    } else if (threads === 1) {
      outcome = await onSession(session);
    } else {
      try {
        outcome = await session.withConnection(onSession);
      } catch (error) {
        outcome = signal?.aborted ? cancelledOutcome(error) : await failureOutcome(env, step.uniqueId, error);
      }
    }
    const result: NodeResult = {
      uniqueId: step.uniqueId,
      ...outcome,
      startedAt: begun.toISOString(),
      durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
    };
    skips.record(step.uniqueId, result.status, skipReason);
    results.set(step.uniqueId, result);
    try {
      const type = plan.graph.nodes.get(step.uniqueId)?.resourceType ?? 'unknown';
      for (const statement of nodeResultStatements(dialect, runId, type, result))
        await session.execute(statement);
    } catch (error) {
      options.onWarning?.(
        `could not record the result of ${step.uniqueId} in vaultline_meta: ${errorMessage(error)}`,
      );
    }
    options.onProgress?.({ phase: 'end', index, total, step, result });
  };

  const done = new Set<UniqueId>();
  const inFlight = new Map<UniqueId, Promise<void>>();
  while (done.size < total) {
    for (const step of plan.steps) {
      if (inFlight.size >= threads) break;
      if (done.has(step.uniqueId) || inFlight.has(step.uniqueId)) continue;
      if (!step.after.every((a) => done.has(a))) continue;
      const id = step.uniqueId;
      inFlight.set(
        id,
        runOne(step).finally(() => {
          inFlight.delete(id);
          done.add(id);
        }),
      );
    }
    if (inFlight.size === 0)
      throw new Error('the execution plan cannot proceed (a dependency is missing from it)');
    await Promise.race(inFlight.values());
  }

  const ordered = plan.steps.map((s) => results.get(s.uniqueId)!);
  const cancelled = signal?.aborted === true;
  // Exit codes tell the truth: a source whose new payloads were quarantined or had values rejected
  // beyond its tolerance fails the run, although everything that could be built was built.
  const sources = await env.sources.reports();
  const result: RunResult = {
    runId,
    command: options.command,
    startedAt: startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    success:
      !cancelled &&
      ordered.every((r) => r.status !== 'error' && r.status !== 'fail') &&
      sources.every((s) => !s.failure),
    ...(cancelled ? { cancelled: true } : {}),
    results: ordered,
    ...(sources.length > 0 ? { sources } : {}),
  };
  try {
    await session.execute(runFinishStatement(dialect, result));
  } catch (error) {
    options.onWarning?.(`could not record the end of run ${runId} in vaultline_meta: ${errorMessage(error)}`);
  }
  return result;
}
