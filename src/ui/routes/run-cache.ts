import type { VaultlineConfig } from '../../config/schema.ts';
import type { RunStore } from '../../orchestrator/store/types.ts';
import { FINISHED_RUN_STATUSES, type LogLine, type RunRecord } from '../../orchestrator/types.ts';

export const DEFAULT_LOG_PAGE = 500;
export const MAX_LOG_PAGE = 5000;
/** Final runs kept parsed: paging through one big log reads its file once. */
const CACHED_RUNS = 4;

export interface LogPage {
  /** Lines in the whole log so far. */
  total: number;
  /** Index of the first line of `lines` in the whole log. */
  offset: number;
  lines: LogLine[];
}

/**
 * Runs and their logs for the run page, with log pages cut on the server: the browser never receives
 * a 100,000-line log whole. The store reads a run's file whole on each call (a quarter of a second for
 * 100,000 lines); a run that can no longer change is kept parsed for the next pages, a few runs, the
 * least recently used out.
 */
export class RunCache {
  private readonly final = new Map<string, { record: RunRecord; lines: LogLine[] }>();

  constructor(
    private readonly runs: RunStore,
    private readonly config: VaultlineConfig,
  ) {}

  record(runId: string): RunRecord | undefined {
    return this.entry(runId)?.record;
  }

  /** The run and all its log lines so far. */
  entry(runId: string): { record: RunRecord; lines: LogLine[] } | undefined {
    const cached = this.final.get(runId);
    if (cached) {
      this.final.delete(runId);
      this.final.set(runId, cached);
      return cached;
    }
    // The record before the log: a run final then has its whole log on disk already.
    const record = this.runs.get(runId);
    if (!record) return undefined;
    const entry = { record, lines: this.runs.logs(runId) };
    if (this.isFinal(record)) {
      this.final.set(runId, entry);
      while (this.final.size > CACHED_RUNS) this.final.delete(this.final.keys().next().value as string);
    }
    return entry;
  }

  page(runId: string, request: { offset?: number; limit?: number; tail?: boolean }): LogPage | undefined {
    const all = this.entry(runId)?.lines;
    if (!all) return undefined;
    const limit = Math.min(Math.max(1, request.limit ?? DEFAULT_LOG_PAGE), MAX_LOG_PAGE);
    const offset = request.tail
      ? Math.max(0, all.length - limit)
      : Math.min(Math.max(0, request.offset ?? 0), all.length);
    return { total: all.length, offset, lines: all.slice(offset, offset + limit) };
  }

  /**
   * Finished, and nothing more will be appended: a failed run may still get its retry_scheduled
   * (runner.ts: after run_finished) unless it has one or used its retries.
   */
  private isFinal(run: RunRecord): boolean {
    if (!FINISHED_RUN_STATUSES.includes(run.status)) return false;
    if (run.status !== 'failed' || run.nextAttemptAt !== undefined) return true;
    return run.attempt > (this.config.jobs[run.job]?.retries?.max ?? 0);
  }
}
