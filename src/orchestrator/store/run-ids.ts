import { StateNameError } from './errors.ts';

/**
 * Run ids sort by the time they were made: `r20261201T101500123Z-k3x9q0` (compact UTC to the
 * millisecond, the landing store's load_ts spelling, then 6 base36 characters so that two runs queued
 * in the same millisecond differ). They are file names too, so they stay within [A-Za-z0-9-].
 */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += Math.floor(random() * 36).toString(36);
  return `r${stamp}-${suffix}`;
}

/** Anything that is safe as a file name: run ids made elsewhere (tests, imports) too, never a path. */
const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function checkRunId(runId: string): string {
  if (!SAFE_RUN_ID.test(runId))
    throw new StateNameError(
      'run id',
      runId,
      'letters, digits, "_" and "-" only, e.g. r20261201T101500123Z-k3x9q0',
    );
  return runId;
}
