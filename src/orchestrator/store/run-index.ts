import type { RunEvent, RunRecord, RunSummary } from '../types.ts';
import { capText } from './event-text.ts';
import { foldRun } from './fold.ts';

/**
 * `runs.ndjson`: one line when a run is queued (its run_queued event), one when it finishes (the
 * run's summary at that moment) and one when a retry is scheduled. `list` reads only this file, so
 * listing stays cheap however many runs there are; it opens a run's own file only for a run that has
 * not finished (there are few).
 */
export type IndexLine =
  | Extract<RunEvent, { type: 'run_queued' }>
  | { type: 'run_finished'; run: string; at: string; summary: RunSummary }
  | { type: 'retry_scheduled'; run: string; at: string; next_attempt_at: string };

/** Error text in the index is a summary: the run's own file has it whole. */
const INDEX_ERROR_BYTES = 2048;

export function summaryOf(run: RunRecord): RunSummary {
  const { steps, error, ...rest } = run;
  return {
    ...rest,
    ...(error && { error: { ...error, message: capText(error.message, INDEX_ERROR_BYTES) } }),
    steps: steps.map(({ result: _result, error: stepError, ...step }) => ({
      ...step,
      ...(stepError !== undefined && { error: capText(stepError, INDEX_ERROR_BYTES) }),
    })),
  };
}

export interface IndexedRun {
  summary: RunSummary;
  finished: boolean;
}

/**
 * The index's lines gathered per run, read forwards or backwards (newest lines first, for `list`):
 * a run's first queued line and first finished line count, and its last retry line.
 */
export class IndexEntries {
  private readonly queuedLines = new Map<string, Extract<IndexLine, { type: 'run_queued' }>>();
  private readonly finishedLines = new Map<string, Extract<IndexLine, { type: 'run_finished' }>>();
  private readonly retries = new Map<string, string>();
  /** The earliest queue time among the queued lines read: every run not read yet was queued before it. */
  oldestQueuedAt: string | undefined;

  add(line: IndexLine, backward: boolean): void {
    const keep = <T>(map: Map<string, T>, value: T, first: boolean) => {
      // Forwards the first line seen is the first in the file; backwards the last one seen is.
      if (first ? backward || !map.has(line.run) : !backward || !map.has(line.run)) map.set(line.run, value);
    };
    if (line.type === 'run_queued') {
      keep(this.queuedLines, line, true);
      if (this.oldestQueuedAt === undefined || line.at < this.oldestQueuedAt) this.oldestQueuedAt = line.at;
    } else if (line.type === 'run_finished') keep(this.finishedLines, line, true);
    else if (line.type === 'retry_scheduled') keep(this.retries, line.next_attempt_at, false);
  }

  entries(): IndexedRun[] {
    const out: IndexedRun[] = [];
    const ids = new Set([...this.queuedLines.keys(), ...this.finishedLines.keys()]);
    for (const id of ids) {
      const finished = this.finishedLines.get(id);
      const queued = this.queuedLines.get(id);
      const record = finished ? undefined : queued && foldRun([queued]);
      const summary = finished?.summary ?? (record ? summaryOf(record) : undefined);
      if (!summary) continue;
      const nextAttemptAt = this.retries.get(id);
      out.push({
        summary: nextAttemptAt ? { ...summary, nextAttemptAt } : summary,
        finished: finished !== undefined,
      });
    }
    return out;
  }
}

/** The index's lines folded into one entry per run (a finished line replaces the queued one). */
export function foldIndex(lines: readonly IndexLine[]): Map<string, IndexedRun> {
  const entries = new IndexEntries();
  for (const line of lines) entries.add(line, false);
  return new Map(entries.entries().map((entry) => [entry.summary.id, entry]));
}

/** Newest first: by queue time, then by id (ids sort by the time they were made). */
export function newestFirst(a: RunSummary, b: RunSummary): number {
  if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
