import { closeSync, constants, fsyncSync } from 'node:fs';
import {
  FINISHED_RUN_STATUSES,
  type LogLine,
  type RunEvent,
  type RunRecord,
  type RunStatus,
  type RunSummary,
} from '../types.ts';
import { eventForDisk } from './event-text.ts';
import { foldRun } from './fold.ts';
import { appendLine, linesBackward, parseLine, parseLines } from './ndjson.ts';
import { checkRunId } from './run-ids.ts';
import {
  foldIndex,
  IndexEntries,
  type IndexedRun,
  type IndexLine,
  newestFirst,
  summaryOf,
} from './run-index.ts';
import { fsyncDir, openNoFollow, readTextNoFollow, type StateDir } from './safe-fs.ts';
import type { RunStore } from './types.ts';

/** Events after which the run's file is fsynced: the ones a restart must not lose. */
const DURABLE: ReadonlySet<RunEvent['type']> = new Set([
  'run_queued',
  'step_finished',
  'run_finished',
  'retry_scheduled',
]);

/**
 * Queue times from several processes may be out of order in the index by a little (clocks, the
 * moment each append lands); list reads that much further back before it stops.
 */
const QUEUE_ORDER_SLACK_MS = 60_000;

const isClearlyAfter = (a: string, b: string) => Date.parse(a) > Date.parse(b) + QUEUE_ORDER_SLACK_MS;

/** Open append fds kept per process; the least recently used is closed beyond this. */
const MAX_OPEN_RUN_FILES = 32;

const APPEND = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT;

/**
 * Run history as NDJSON files: `runs/<runId>.ndjson` holds each run's events, `runs.ndjson` the index
 * (run-index.ts). Every append is written (writeSync) before it returns; the events a restart needs
 * are fsynced too. No lock and no server: any process reads while another appends.
 */
export class FileRunStore implements RunStore {
  private readonly fds = new Map<string, number>();

  constructor(private readonly state: StateDir) {}

  private get indexPath(): string {
    return this.state.path('runs.ndjson');
  }

  private runPath(runId: string): string {
    return this.state.path('runs', `${checkRunId(runId)}.ndjson`);
  }

  append(event: RunEvent): void {
    const runId = checkRunId(event.run);
    const safe = eventForDisk(event);
    const fd = this.runFd(runId);
    appendLine(fd, JSON.stringify(safe));
    if (DURABLE.has(safe.type)) fsyncSync(fd);
    if (safe.type === 'run_queued') this.appendIndex(safe);
    else if (safe.type === 'retry_scheduled')
      this.appendIndex({
        type: 'retry_scheduled',
        run: runId,
        at: safe.at,
        next_attempt_at: safe.next_attempt_at,
      });
    else if (safe.type === 'run_finished') {
      const record = this.get(runId);
      if (record)
        this.appendIndex({ type: 'run_finished', run: runId, at: safe.at, summary: summaryOf(record) });
      this.closeRun(runId);
    }
  }

  get(runId: string): RunRecord | undefined {
    if (!this.state.exists('runs')) return undefined;
    const text = readTextNoFollow(this.runPath(runId));
    return text === undefined ? undefined : foldRun(parseLines<RunEvent>(text));
  }

  /**
   * Reads the index from its end, a chunk at a time, and stops once `limit` runs are found that are
   * newer than anything not read yet: listing the latest runs costs the same with 10 or 100,000.
   */
  list(
    filter: { job?: string; status?: readonly RunStatus[]; limit?: number; before?: string } = {},
  ): RunSummary[] {
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    if (!this.state.exists()) return [];
    let fd: number;
    try {
      fd = openNoFollow(this.indexPath, constants.O_RDONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const refreshed = new Map<string, RunSummary>();
    const entries = new IndexEntries();
    let found: RunSummary[] = [];
    // Runs that may match, counted as lines are read: selecting (which sorts everything read) waits
    // until there can be `limit` of them, so a deep page or a rare status reads the index once, not
    // once per chunk.
    const candidates = new Set<string>();
    const finished = new Set<string>();
    try {
      for (const chunk of linesBackward(fd)) {
        for (const line of chunk) {
          const parsed = parseLine<IndexLine>(line.toString('utf8'));
          if (!parsed) continue;
          entries.add(parsed, true);
          if (parsed.type === 'run_finished') finished.add(parsed.run);
          if (mayMatch(parsed, filter, finished)) candidates.add(parsed.run);
        }
        if (candidates.size < limit) continue;
        found = this.select(entries.entries(), filter, limit, refreshed);
        const last = found.at(-1);
        if (
          found.length >= limit &&
          last &&
          entries.oldestQueuedAt !== undefined &&
          isClearlyAfter(last.queuedAt, entries.oldestQueuedAt)
        )
          break;
      }
      if (candidates.size < limit) found = this.select(entries.entries(), filter, limit, refreshed);
    } finally {
      closeSync(fd);
    }
    return found;
  }

  private select(
    entries: IndexedRun[],
    filter: { job?: string; status?: readonly RunStatus[]; before?: string },
    limit: number,
    refreshed: Map<string, RunSummary>,
  ): RunSummary[] {
    const out: RunSummary[] = [];
    for (const entry of entries.sort((a, b) => newestFirst(a.summary, b.summary))) {
      if (out.length >= limit) break;
      if (filter.job !== undefined && entry.summary.job !== filter.job) continue;
      if (filter.before !== undefined && entry.summary.id >= filter.before) continue;
      // An unfinished run's status lives in its own file (queued, running, or finished since).
      let summary = entry.summary;
      if (!entry.finished) {
        summary = refreshed.get(summary.id) ?? this.current(summary);
        refreshed.set(summary.id, summary);
      }
      if (filter.status && !filter.status.includes(summary.status)) continue;
      out.push(summary);
    }
    return out;
  }

  logs(runId: string, options: { step?: number } = {}): LogLine[] {
    if (!this.state.exists('runs')) return [];
    const text = readTextNoFollow(this.runPath(runId));
    if (text === undefined) return [];
    const out: LogLine[] = [];
    for (const event of parseLines<RunEvent>(text)) {
      if (event.type !== 'log') continue;
      if (options.step !== undefined && event.step !== options.step) continue;
      out.push({
        at: event.at,
        ...(event.step !== undefined && { step: event.step }),
        level: event.level,
        text: event.text,
      });
    }
    return out;
  }

  /**
   * A run still queued or running is abandoned when nothing runs it any more: it never got a pid
   * (it was queued in a process that is gone: queues live in memory), its pid is `ownPid` (an earlier
   * process that had this pid — containers start their server as pid 1 each time — for this process,
   * just started, runs nothing yet), or its process is not alive.
   */
  abandonOrphans(isAlive: (pid: number) => boolean, at: Date, ownPid: number): RunRecord[] {
    const abandoned: RunRecord[] = [];
    for (const entry of this.readIndex().values()) {
      if (entry.finished) continue;
      const run = this.get(entry.summary.id);
      if (!run) continue;
      if (FINISHED_RUN_STATUSES.includes(run.status)) {
        // Finished in its own file, not in the index (killed between the two writes): index it now.
        this.appendIndex({
          type: 'run_finished',
          run: run.id,
          at: run.endedAt ?? at.toISOString(),
          summary: summaryOf(run),
        });
        continue;
      }
      const gone = run.pid === undefined || run.pid === ownPid || !isAlive(run.pid);
      if (!gone) continue;
      const step = run.steps.find((s) => s.status === 'running');
      const who =
        run.pid === undefined ? 'the process that queued it' : `the process that ran it (pid ${run.pid})`;
      this.append({
        type: 'run_finished',
        at: at.toISOString(),
        run: run.id,
        status: 'abandoned',
        error: {
          ...(step && { step: step.index, command: step.command }),
          message: `${who} is gone: the run was ${run.status} when it stopped`,
        },
      });
      const closed = this.get(run.id);
      if (closed) abandoned.push(closed);
    }
    return abandoned;
  }

  /** Closes the append fds this store holds (they close with the process anyway). */
  close(): void {
    for (const runId of [...this.fds.keys()]) this.closeRun(runId);
  }

  private current(summary: RunSummary): RunSummary {
    const record = this.get(summary.id);
    return record ? summaryOf(record) : summary;
  }

  private readIndex() {
    if (!this.state.exists()) return foldIndex([]);
    const text = readTextNoFollow(this.indexPath);
    return foldIndex(text === undefined ? [] : parseLines<IndexLine>(text));
  }

  private appendIndex(line: IndexLine): void {
    this.state.ensure();
    const fd = openNoFollow(this.indexPath, APPEND);
    try {
      appendLine(fd, JSON.stringify(line));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private runFd(runId: string): number {
    const open = this.fds.get(runId);
    if (open !== undefined) {
      // Most recently used last, so the first key is the one to close.
      this.fds.delete(runId);
      this.fds.set(runId, open);
      return open;
    }
    const folder = this.state.ensure('runs');
    const fd = openNoFollow(this.runPath(runId), APPEND);
    this.fds.set(runId, fd);
    fsyncDir(folder);
    while (this.fds.size > MAX_OPEN_RUN_FILES) {
      const oldest = this.fds.keys().next().value as string;
      this.closeRun(oldest);
    }
    return fd;
  }

  private closeRun(runId: string): void {
    const fd = this.fds.get(runId);
    if (fd === undefined) return;
    this.fds.delete(runId);
    closeSync(fd);
  }
}

/** Whether an index line may belong to a run the filter wants (cheap: no run file is opened). */
function mayMatch(
  line: IndexLine,
  filter: { job?: string; status?: readonly RunStatus[]; before?: string },
  finished: ReadonlySet<string>,
): boolean {
  if (filter.before !== undefined && line.run >= filter.before) return false;
  if (line.type === 'retry_scheduled') return false;
  const job = line.type === 'run_queued' ? line.job : line.summary.job;
  if (filter.job !== undefined && job !== filter.job) return false;
  // A finished line knows its status (read backwards, it comes before its run's queued line); a run
  // without one may be in any state.
  if (filter.status === undefined) return true;
  if (line.type === 'run_finished') return filter.status.includes(line.summary.status);
  return !finished.has(line.run);
}
