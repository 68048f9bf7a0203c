import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../types.ts';
import { foldRun } from './fold.ts';
import { at, successfulRun } from './test-support.ts';

test('a whole run folds into its record: times, pid, steps with results', () => {
  const run = foldRun(successfulRun('r1'));
  assert.deepEqual(run, {
    id: 'r1',
    job: 'daily',
    trigger: { kind: 'schedule', tick: at(0) },
    attempt: 1,
    status: 'success',
    queuedAt: at(0),
    startedAt: at(1),
    endedAt: at(5),
    pid: 4242,
    steps: [
      {
        index: 0,
        command: 'extract --all',
        status: 'success',
        startedAt: at(1),
        endedAt: at(3),
        exitCode: 0,
        result: { summary: [] },
      },
      { index: 1, command: 'build', status: 'success', startedAt: at(3), endedAt: at(5), exitCode: 0 },
    ],
  });
});

test('status follows each event; a failure keeps the error, the retry its time; later steps stay pending', () => {
  const events: RunEvent[] = [
    {
      type: 'run_queued',
      at: at(0),
      run: 'r2',
      job: 'j',
      trigger: { kind: 'manual', by: 'api' },
      partition: '2025-01-01',
      steps: ['extract --all', 'build', 'test'],
      attempt: 2,
      retry_of: 'r1',
    },
  ];
  const statuses: string[] = [];
  const push = (event: RunEvent) => {
    events.push(event);
    statuses.push(foldRun(events)?.status ?? 'none');
  };
  statuses.push(foldRun(events)?.status ?? 'none');
  push({ type: 'run_started', at: at(1), run: 'r2', pid: 7 });
  push({ type: 'step_started', at: at(1), run: 'r2', step: 0, command: 'extract --all' });
  push({ type: 'step_finished', at: at(2), run: 'r2', step: 0, status: 'success', exit_code: 0 });
  push({ type: 'step_started', at: at(2), run: 'r2', step: 1, command: 'build' });
  push({
    type: 'step_finished',
    at: at(4),
    run: 'r2',
    step: 1,
    status: 'failed',
    exit_code: 1,
    error: 'model x failed',
  });
  push({
    type: 'run_finished',
    at: at(4),
    run: 'r2',
    status: 'failed',
    error: { step: 1, command: 'build', node: 'model.p.x', message: 'model x failed' },
  });
  push({
    type: 'retry_scheduled',
    at: at(4),
    run: 'r2',
    next_attempt_at: at(64),
    delay_ms: 60_000,
    attempt: 3,
  });
  assert.deepEqual(statuses, [
    'queued',
    'running',
    'running',
    'running',
    'running',
    'running',
    'failed',
    'failed',
  ]);
  const run = foldRun(events);
  assert.ok(run);
  assert.equal(run.partition, '2025-01-01');
  assert.equal(run.retryOf, 'r1');
  assert.equal(run.attempt, 2);
  assert.deepEqual(run.error, { step: 1, command: 'build', node: 'model.p.x', message: 'model x failed' });
  assert.equal(run.nextAttemptAt, at(64));
  assert.deepEqual(
    run.steps.map((s) => [s.status, s.error]),
    [
      ['success', undefined],
      ['failed', 'model x failed'],
      ['pending', undefined],
    ],
  );
});

test('a run that ends while a step runs closes the step: cancelled (or failed when the run failed)', () => {
  const start: RunEvent[] = [
    {
      type: 'run_queued',
      at: at(0),
      run: 'r',
      job: 'j',
      trigger: { kind: 'manual', by: 'run-job' },
      steps: ['build'],
      attempt: 1,
    },
    { type: 'step_started', at: at(1), run: 'r', step: 0, command: 'build' },
  ];
  const abandoned = foldRun([
    ...start,
    { type: 'run_finished', at: at(9), run: 'r', status: 'abandoned', error: { message: 'gone' } },
  ]);
  assert.equal(abandoned?.status, 'abandoned');
  assert.equal(abandoned?.startedAt, at(1), 'a step start starts a queued run');
  assert.deepEqual(abandoned?.steps[0], {
    index: 0,
    command: 'build',
    status: 'cancelled',
    startedAt: at(1),
    endedAt: at(9),
  });
  const failed = foldRun([...start, { type: 'run_finished', at: at(9), run: 'r', status: 'failed' }]);
  assert.equal(failed?.steps[0]?.status, 'failed');
});

test('the first end is the end; events before run_queued are ignored; no run_queued is no run', () => {
  const events = successfulRun('r3');
  events.push({ type: 'run_finished', at: at(99), run: 'r3', status: 'abandoned' });
  assert.equal(foldRun(events)?.status, 'success');
  assert.equal(foldRun(events)?.endedAt, at(5));
  assert.equal(foldRun(events.filter((e) => e.type !== 'run_queued')), undefined);
  assert.equal(foldRun([]), undefined);
});

test('a step index beyond the queued steps is added rather than lost', () => {
  const run = foldRun([
    {
      type: 'run_queued',
      at: at(0),
      run: 'r',
      job: 'j',
      trigger: { kind: 'manual', by: 'api' },
      steps: ['build'],
      attempt: 1,
    },
    { type: 'step_started', at: at(1), run: 'r', step: 2, command: 'test' },
  ]);
  assert.deepEqual(
    run?.steps.map((s) => [s.index, s.command, s.status]),
    [
      [0, 'build', 'pending'],
      [1, '?', 'pending'],
      [2, 'test', 'running'],
    ],
  );
});
