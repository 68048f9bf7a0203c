import type { LogLine, RunEvent, RunRecord, RunStatus, RunSummary, SchedulerState } from '../types.ts';

/**
 * Run history. Every event is on disk before append returns, so a kill -9 loses at most the line
 * being written; any process can read while another appends (no lock, no database connection).
 */
export interface RunStore {
  append(event: RunEvent): void;
  get(runId: string): RunRecord | undefined;
  /** Newest first; `before` (a run id): only runs made before that one (the next page of a listing). */
  list(filter?: {
    job?: string;
    status?: readonly RunStatus[];
    limit?: number;
    before?: string;
  }): RunSummary[];
  logs(runId: string, options?: { step?: number }): LogLine[];
  /**
   * Runs still `queued` or `running` whose process is gone (`isAlive(pid)` false, or no pid and not
   * `ownPid`) are closed as `abandoned`: called when a server or `run-job` starts.
   */
  abandonOrphans(isAlive: (pid: number) => boolean, at: Date, ownPid: number): RunRecord[];
}

/** The scheduler's memory: written atomically (temp file + rename), read at start. */
export interface SchedulerStateStore {
  read(): SchedulerState;
  write(state: SchedulerState): void;
}

/** Inclusive day ranges ["2025-01-01", "2025-03-31"]: 10,000 done days in a row are one entry. */
export type DayRange = readonly [string, string];

export interface PartitionStore {
  done(job: string): DayRange[];
  markDone(job: string, day: string): void;
  /** Days of [from, to] (inclusive) not done yet, in order. */
  missing(job: string, from: string, to: string): string[];
}
