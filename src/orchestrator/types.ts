/**
 * The orchestrator's records. A run is a sequence of events appended to its own log file
 * (store/run-log.ts); the RunRecord is the fold of those events, so whatever was written before a
 * kill -9 is kept and a torn last line is the only thing lost.
 */

/** Why a run exists. */
export type RunTrigger =
  | { kind: 'schedule'; tick: string }
  | { kind: 'catch_up'; tick: string }
  | { kind: 'manual'; by: 'api' | 'run-job' }
  | { kind: 'sensor'; sensor: string; item: string }
  | { kind: 'backfill'; backfill: string }
  /** A CLI command submitted to the running server (`vaultline build` while `serve` is up). */
  | { kind: 'cli'; argv: string[] };

export type RunStatus = 'queued' | 'running' | 'success' | 'failed' | 'cancelled' | 'abandoned';
export type StepStatus = 'running' | 'success' | 'failed' | 'skipped' | 'cancelled';

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['success', 'failed', 'cancelled', 'abandoned'];

/** One event of a run, in the order it happened. `at` is ISO 8601 UTC. */
export type RunEvent =
  | {
      type: 'run_queued';
      at: string;
      run: string;
      job: string;
      trigger: RunTrigger;
      partition?: string;
      steps: string[];
      attempt: number;
      /** The run this one retries (attempt > 1). */
      retry_of?: string;
    }
  | { type: 'run_started'; at: string; run: string; pid: number }
  | { type: 'step_started'; at: string; run: string; step: number; command: string }
  | { type: 'log'; at: string; run: string; step?: number; level: LogLevelName; text: string }
  | {
      type: 'step_finished';
      at: string;
      run: string;
      step: number;
      status: StepStatus;
      exit_code: number;
      /** The verb's --json document (extract's summary, build's run results), for `runs show`. */
      result?: unknown;
      error?: string;
    }
  | {
      type: 'retry_scheduled';
      at: string;
      run: string;
      next_attempt_at: string;
      delay_ms: number;
      attempt: number;
    }
  | {
      type: 'run_finished';
      at: string;
      run: string;
      status: Exclude<RunStatus, 'queued' | 'running'>;
      error?: RunError;
    };

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** What failed, for alerts and summaries: the step, the node when a build node failed, the message's first lines. */
export interface RunError {
  /** 0-based, as StepRecord.index (messages for people add 1). */
  step?: number;
  command?: string;
  node?: string;
  message: string;
}

export interface StepRecord {
  index: number;
  command: string;
  status: StepStatus | 'pending';
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  result?: unknown;
  error?: string;
}

export interface RunRecord {
  id: string;
  job: string;
  trigger: RunTrigger;
  partition?: string;
  attempt: number;
  retryOf?: string;
  status: RunStatus;
  queuedAt: string;
  startedAt?: string;
  endedAt?: string;
  /** The process that ran it (a running run whose process is gone was abandoned). */
  pid?: number;
  steps: StepRecord[];
  error?: RunError;
  nextAttemptAt?: string;
}

/** A run without its steps' results, for listings. */
export type RunSummary = Omit<RunRecord, 'steps'> & { steps: Array<Omit<StepRecord, 'result'>> };

export interface LogLine {
  at: string;
  step?: number;
  level: LogLevelName;
  text: string;
}

/** Time for the orchestrator: read, and waited on. Tests inject a fake that advances on demand. */
export interface OrchestratorClock {
  now(): Date;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What the scheduler remembers per job between ticks (store/scheduler-state.ts keeps it on disk). */
export interface JobScheduleState {
  /** The latest tick the scheduler has dealt with: fired, or passed over by the catch-up policy. */
  lastTick?: string;
}

export interface SchedulerState {
  jobs: Record<string, JobScheduleState>;
  /** The serving process's last sign of life: `schedule why` tells "server down" from it. */
  heartbeat?: { pid: number; startedAt: string; at: string };
}
