import type { RunRecord } from '../../src/orchestrator/types.ts';

/** Run records as the run log would fold them, for tests of what is said about a run (alerts, summaries). */
export function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'r20260301T060000-a1b2',
    job: 'nightly',
    trigger: { kind: 'schedule', tick: '2026-03-01T06:00:00.000Z' },
    partition: '2026-02-28',
    attempt: 1,
    status: 'success',
    queuedAt: '2026-03-01T06:00:00.000Z',
    startedAt: '2026-03-01T06:00:01.000Z',
    endedAt: '2026-03-01T06:04:10.000Z',
    pid: 4242,
    steps: [
      { index: 0, command: 'extract --all', status: 'success', exitCode: 0 },
      { index: 1, command: 'build --select tag:marts', status: 'success', exitCode: 0 },
    ],
    ...overrides,
  };
}

/** Steps are 0-based as the runner stores them. A run whose second step (build) failed on one node with a long error. */
export function sampleFailedRun(overrides: Partial<RunRecord> = {}): RunRecord {
  const message = Array.from({ length: 12 }, (_, i) => `error line ${i + 1}`).join('\n');
  return sampleRun({
    id: 'r20260301T060000-fail',
    status: 'failed',
    steps: [
      { index: 0, command: 'extract --all', status: 'success', exitCode: 0 },
      { index: 1, command: 'build --select tag:marts', status: 'failed', exitCode: 1, error: message },
    ],
    error: { step: 1, command: 'build --select tag:marts', node: 'model.shop.fct_orders', message },
    ...overrides,
  });
}
