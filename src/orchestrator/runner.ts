import type { VaultlineConfig } from '../config/schema.ts';
import { UsageError } from '../shared/errors.ts';
import { formatDuration } from './duration.ts';
import { type CommandSink, executeCommand } from './execute-command.ts';
import { stepError } from './failure.ts';
import { Fifo } from './fifo.ts';
import { retryDelayMs } from './schedule/retry.ts';
import { splitStep } from './step-argv.ts';
import { renderStep } from './step-template.ts';
import { newRunId } from './store/run-ids.ts';
import type { PartitionStore, RunStore } from './store/types.ts';
import type {
  LogLevelName,
  OrchestratorClock,
  RunError,
  RunEvent,
  RunRecord,
  RunTrigger,
  StepStatus,
} from './types.ts';

/** The job name of commands submitted from the CLI to a running server (never a configured job: `@` is not allowed there). */
export const CLI_JOB = '@cli';

export interface RunRequest {
  job: string;
  trigger: RunTrigger;
  partition?: string;
}

export interface RunnerDeps {
  config: VaultlineConfig;
  /** Where runs are recorded and partitions marked done (store/open.ts). */
  stores: { runs: RunStore; partitions: PartitionStore };
  clock: OrchestratorClock;
  /** Aborted when the process stops: queued runs give up, the running step is cancelled. */
  signal: AbortSignal;
  random?: () => number;
  /** Called once per run that ended, after its last attempt (alerts). Errors are the callee's to log. */
  onFinished?: (run: RunRecord) => Promise<void>;
  /** Every event as it is stored (the API streams them to watchers). */
  onEvent?: (event: RunEvent) => void;
  /** A command's stdout, by run (the API streams it to the CLI that submitted the command). */
  onStdout?: (run: string, text: string) => void;
}

export class RunTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${formatDuration(ms)} (timeout: in vaultline.yml)`);
    this.name = 'RunTimeoutError';
  }
}

/**
 * Runs jobs: each attempt is a run whose steps execute in order in this process (a failed step skips
 * the ones after it), one run at a time (Fifo), with the job's timeout and retries, every event
 * written to the run store before the next thing happens. The scheduler, sensors, the API, `run-job`
 * and `backfill` all start runs through here, so a run behaves the same whoever started it.
 */
export class JobRunner {
  private readonly fifo = new Fifo();
  private readonly cancels = new Map<string, AbortController>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastIdAt = 0;

  constructor(private readonly deps: RunnerDeps) {}

  /** Runs queued or running now. */
  get activeRuns(): string[] {
    return [...this.cancels.keys()];
  }

  /** Queues a run of a configured job; `done` resolves with its last attempt. */
  start(request: RunRequest): { run: string; done: Promise<RunRecord> } {
    const job = this.deps.config.jobs[request.job];
    if (!job) throw new UsageError(`no job "${request.job}" in ${this.deps.config.configFile}`);
    const steps = job.steps.map((step) => renderStep(step, request.partition));
    return this.track(this.attempt(request, steps, 1, undefined));
  }

  /** Queues a command submitted from the CLI (`vaultline build` while the server is up). */
  submit(argv: string[]): { run: string; done: Promise<RunRecord> } {
    return this.track(
      this.attempt({ job: CLI_JOB, trigger: { kind: 'cli', argv } }, [argv.join(' ')], 1, undefined, argv),
    );
  }

  cancel(run: string): boolean {
    const controller = this.cancels.get(run);
    if (!controller) return false;
    controller.abort(new Error('cancelled'));
    return true;
  }

  /** Resolves when every run started so far has ended (after a stop: cancelled and rolled back). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(started: { run: string; done: Promise<RunRecord> }) {
    const done = started.done;
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done)).catch(() => undefined);
    return started;
  }

  private append(event: RunEvent): void {
    this.deps.stores.runs.append(event);
    this.deps.onEvent?.(event);
  }

  private attempt(
    request: RunRequest,
    steps: string[],
    attempt: number,
    retryOf: string | undefined,
    literalArgv?: string[],
  ): { run: string; done: Promise<RunRecord> } {
    // Ids sort in the order runs were made, also for runs queued in the same millisecond (catch-up).
    const at = Math.max(this.deps.clock.now().getTime(), this.lastIdAt + 1);
    this.lastIdAt = at;
    const run = newRunId(new Date(at));
    const controller = new AbortController();
    this.cancels.set(run, controller);
    this.append({
      type: 'run_queued',
      at: this.now(),
      run,
      job: request.job,
      trigger: request.trigger,
      ...(request.partition ? { partition: request.partition } : {}),
      steps,
      attempt,
      ...(retryOf ? { retry_of: retryOf } : {}),
    });
    const done = this.execute(run, request, steps, controller, literalArgv)
      .finally(() => this.cancels.delete(run))
      .then(async (record) => {
        const retry = await this.retryAfter(record, request, steps, attempt);
        if (retry) return retry;
        await this.deps.onFinished?.(record).catch(() => undefined);
        return record;
      });
    return { run, done };
  }

  private async execute(
    run: string,
    request: RunRequest,
    steps: string[],
    controller: AbortController,
    literalArgv?: string[],
  ): Promise<RunRecord> {
    const signal = AbortSignal.any([this.deps.signal, controller.signal]);
    let release: (() => void) | undefined;
    try {
      release = await this.fifo.turn(signal);
    } catch {
      this.append({
        type: 'run_finished',
        at: this.now(),
        run,
        status: 'cancelled',
        error: { message: 'cancelled while queued' },
      });
      return this.record(run);
    }
    const stopTimer = new AbortController();
    try {
      this.append({ type: 'run_started', at: this.now(), run, pid: process.pid });
      const timeout = this.deps.config.jobs[request.job]?.timeout;
      if (timeout !== undefined)
        this.deps.clock.sleep(timeout, stopTimer.signal).then(
          () => controller.abort(new RunTimeoutError(timeout)),
          () => undefined,
        );
      let error: RunError | undefined;
      let cancelled = false;
      for (const [index, command] of steps.entries()) {
        if (error || cancelled) {
          this.append({
            type: 'step_finished',
            at: this.now(),
            run,
            step: index,
            status: 'skipped',
            exit_code: 0,
            error: error ? `step ${(error.step ?? index) + 1} failed` : 'the run was cancelled',
          });
          continue;
        }
        this.append({ type: 'step_started', at: this.now(), run, step: index, command });
        const outcome = await this.runStep(run, index, literalArgv ?? command, signal);
        const status: StepStatus = signal.aborted
          ? 'cancelled'
          : outcome.exitCode === 0
            ? 'success'
            : 'failed';
        this.append({
          type: 'step_finished',
          at: this.now(),
          run,
          step: index,
          status,
          exit_code: outcome.exitCode,
          ...(outcome.result === undefined ? {} : { result: outcome.result }),
          ...(outcome.error ? { error: outcome.error } : {}),
        });
        if (status === 'cancelled') cancelled = true;
        else if (status === 'failed') error = stepError(index, command, outcome.result, outcome.error);
        if (outcome.exitCode === 2 && error) this.usageFailures.add(run);
      }
      const reason: unknown = signal.reason;
      if (cancelled && reason instanceof RunTimeoutError) {
        this.append({
          type: 'run_finished',
          at: this.now(),
          run,
          status: 'failed',
          error: { message: reason.message },
        });
      } else if (cancelled) {
        this.append({
          type: 'run_finished',
          at: this.now(),
          run,
          status: 'cancelled',
          error: { message: this.deps.signal.aborted ? 'cancelled: the server is stopping' : 'cancelled' },
        });
      } else {
        this.append({
          type: 'run_finished',
          at: this.now(),
          run,
          status: error ? 'failed' : 'success',
          ...(error ? { error } : {}),
        });
        if (!error && request.partition && request.job !== CLI_JOB)
          this.deps.stores.partitions.markDone(request.job, request.partition);
      }
      return this.record(run);
    } finally {
      stopTimer.abort();
      release();
    }
  }

  /** Runs whose failure was a usage error (exit 2): a retry would fail the same way. */
  private readonly usageFailures = new Set<string>();

  private async runStep(run: string, step: number, command: string | string[], signal: AbortSignal) {
    const argv = typeof command === 'string' ? splitStep(command) : { argv: command };
    if ('problem' in argv) return { exitCode: 2, error: `step ${step + 1} ${argv.problem}` };
    const sink: CommandSink = {
      log: (level: LogLevelName, text: string) =>
        this.append({ type: 'log', at: this.now(), run, step, level, text }),
      stdout: (text) => this.deps.onStdout?.(run, text),
    };
    return executeCommand(argv.argv, { projectDir: this.deps.config.projectDir, signal, sink });
  }

  /** A failed attempt with retries left: the next attempt, after the backoff (other runs go meanwhile). */
  private async retryAfter(
    record: RunRecord,
    request: RunRequest,
    steps: string[],
    attempt: number,
  ): Promise<RunRecord | undefined> {
    const usage = this.usageFailures.delete(record.id);
    const job = this.deps.config.jobs[request.job];
    if (record.status !== 'failed' || usage || !job || this.deps.signal.aborted) return undefined;
    const delay = retryDelayMs(job.retries, attempt, this.deps.random ?? Math.random);
    if (delay === undefined) return undefined;
    const next = new Date(this.deps.clock.now().getTime() + delay);
    this.append({
      type: 'retry_scheduled',
      at: this.now(),
      run: record.id,
      next_attempt_at: next.toISOString(),
      delay_ms: delay,
      attempt: attempt + 1,
    });
    try {
      await this.deps.clock.sleep(delay, this.deps.signal);
    } catch {
      return undefined;
    }
    return this.attempt(request, steps, attempt + 1, record.id).done;
  }

  private record(run: string): RunRecord {
    const record = this.deps.stores.runs.get(run);
    if (!record) throw new Error(`run ${run} is not in the run store`);
    return record;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}
