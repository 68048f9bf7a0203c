import type { JobConfig } from './config.ts';
import type { JobRunner } from './runner.ts';
import type { PartitionStore, RunStore } from './store/types.ts';
import type { RunRecord } from './types.ts';

export interface BackfillPlan {
  job: string;
  from: string;
  to: string;
  /** Days already done (kept as ranges in the partition store). */
  done: number;
  missing: string[];
}

/**
 * A partition whose run succeeded is done even if the process died before it could say so: the run
 * history is the witness, so a resumed backfill never runs a finished partition again.
 */
export function reconcilePartitions(job: string, runs: RunStore, partitions: PartitionStore): number {
  let healed = 0;
  const done = new Set<string>();
  for (const run of runs.list({ job, status: ['success', 'abandoned'], limit: Number.MAX_SAFE_INTEGER })) {
    if (!run.partition || done.has(run.partition)) continue;
    // Killed after its last step had succeeded but before the run's end was written: its work is done.
    if (run.status === 'abandoned' && !allStepsSucceeded(runs.get(run.id))) continue;
    done.add(run.partition);
    if (partitions.missing(job, run.partition, run.partition).length > 0) {
      partitions.markDone(job, run.partition);
      healed++;
    }
  }
  return healed;
}

function allStepsSucceeded(run: RunRecord | undefined): boolean {
  return run !== undefined && run.steps.length > 0 && run.steps.every((step) => step.status === 'success');
}

export function planBackfill(
  name: string,
  job: JobConfig,
  range: { from: string; to: string },
  partitions: PartitionStore,
): BackfillPlan {
  const start = job.partitions?.start ?? range.from;
  const from = range.from < start ? start : range.from;
  const missing = from > range.to ? [] : partitions.missing(name, from, range.to);
  const total = from > range.to ? 0 : daysBetween(from, range.to) + 1;
  return { job: name, from, to: range.to, done: total - missing.length, missing };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Runs the missing partitions in date order, one after the other (each run is queued behind any
 * other run of the warehouse). A failed partition is reported and the next one still runs; a stop
 * signal ends the backfill after the running partition is cancelled.
 */
export async function runBackfill(
  plan: BackfillPlan,
  runner: JobRunner,
  signal: AbortSignal,
  onPartition?: (day: string, run: RunRecord, index: number) => void,
): Promise<{
  succeeded: string[];
  failed: Array<{ day: string; run: string; status: string }>;
  stopped: boolean;
}> {
  const id = `${plan.from}..${plan.to}`;
  const succeeded: string[] = [];
  const failed: Array<{ day: string; run: string; status: string }> = [];
  for (const [index, day] of plan.missing.entries()) {
    if (signal.aborted) return { succeeded, failed, stopped: true };
    const run = await runner.start({
      job: plan.job,
      trigger: { kind: 'backfill', backfill: id },
      partition: day,
    }).done;
    onPartition?.(day, run, index);
    if (run.status === 'success') succeeded.push(day);
    else failed.push({ day, run: run.id, status: run.status });
  }
  return { succeeded, failed, stopped: signal.aborted };
}
