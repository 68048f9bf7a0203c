import type { RetriesConfig } from '../config.ts';

/**
 * How long to wait after attempt `failedAttempt` (1-based) failed before the next attempt, or
 * undefined when the job has used its retries (retries.max counts attempts after the first).
 * fixed: `initial` every time; exponential: initial, 2×, 4×, …; never more than max_delay. With
 * jitter the delay is spread over [delay/2, delay] (random() in [0, 1)) so that the retries of jobs
 * that failed together (the warehouse went away) do not all come back in the same second.
 */
export function retryDelayMs(
  retries: RetriesConfig,
  failedAttempt: number,
  random: () => number,
): number | undefined {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) {
    throw new RangeError(`failedAttempt is 1-based (got ${failedAttempt})`);
  }
  if (failedAttempt > retries.max) return undefined;
  const base = retries.backoff === 'fixed' ? retries.initial : retries.initial * 2 ** (failedAttempt - 1);
  const capped = Math.min(base, retries.max_delay);
  return Math.round(retries.jitter ? capped * (0.5 + random() / 2) : capped);
}
