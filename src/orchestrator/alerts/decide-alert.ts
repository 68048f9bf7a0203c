import type { RunSummary } from '../types.ts';

/**
 * Whether a finished run raises an alert, and which. Pure: the caller passes the run and the job's
 * previous final run (see `previousFinalRun`).
 *
 * - failure: the run failed, or was abandoned (its process died mid-run: nobody asked it to stop, the
 *   work did not happen). A cancelled run never alerts: a person stopped it.
 * - retries: a failed attempt that has a retry scheduled (`nextAttemptAt`) does not alert; only the
 *   last attempt's failure does, so one bad night is one alert, not `retries.max + 1`.
 * - recovery: the run succeeded and the job's previous final run failed (i.e. a failure was alerted).
 *   A run that succeeds on its retry after a failed attempt is not a recovery: nothing was alerted.
 */
export function alertEventFor(
  run: RunSummary,
  previousFinished?: RunSummary,
): 'failure' | 'recovery' | undefined {
  if (isAlertedFailure(run)) return 'failure';
  if (run.status === 'success' && previousFinished && isAlertedFailure(previousFinished)) return 'recovery';
  return undefined;
}

/** A run whose failure is final: failed or abandoned, with no retry scheduled after it. */
export function isAlertedFailure(run: Pick<RunSummary, 'status' | 'nextAttemptAt'>): boolean {
  return (run.status === 'failed' || run.status === 'abandoned') && run.nextAttemptAt === undefined;
}

/**
 * The run whose outcome `run`'s success could recover from: the latest run of the same job that
 * finished before it with a final outcome. Skipped: runs still queued or running, attempts that were
 * retried (their failure was not alerted; the chain's last attempt speaks for it), and cancelled runs
 * (stopping a run says nothing about the job's health, so fail → cancel → success still recovers).
 */
export function previousFinalRun(history: readonly RunSummary[], run: RunSummary): RunSummary | undefined {
  const before = run.endedAt ?? run.startedAt ?? run.queuedAt;
  let latest: RunSummary | undefined;
  for (const other of history) {
    if (other.id === run.id || other.job !== run.job || !other.endedAt || other.endedAt > before) continue;
    if (other.status !== 'success' && other.status !== 'failed' && other.status !== 'abandoned') continue;
    if (other.nextAttemptAt !== undefined) continue;
    if (!latest || other.endedAt > (latest.endedAt ?? '')) latest = other;
  }
  return latest;
}
