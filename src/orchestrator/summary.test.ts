import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { foldRun } from './store/fold.ts';
import { formatRunSummary } from './summary.ts';
import type { RunEvent, RunRecord } from './types.ts';

/**
 * Golden summaries over real documents: extract-all.json and build-*.json are what `vaultline
 * extract --all --json` and `vaultline build --json` printed for examples/cloud-dw-datavault (trimmed:
 * no compiled SQL, 5 of the passing tests; build-failed has a broken mart and a failing singular
 * test). `UPDATE_GOLDEN=1 node --import tsx --test src/orchestrator/summary.test.ts` rewrites the .txt.
 */
const FIXTURES = new URL('../../test/fixtures/orchestrator/', import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

function golden(name: string, actual: string): void {
  const file = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, `${actual}\n`);
  assert.equal(`${actual}\n`, readFileSync(file, 'utf8'));
}

const t = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 6, 0, seconds)).toISOString();

function run(events: RunEvent[]): RunRecord {
  const record = foldRun(events);
  assert.ok(record);
  return record;
}

const base = (
  id: string,
  steps: string[],
  extra: Partial<Extract<RunEvent, { type: 'run_queued' }>> = {},
): RunEvent[] => [
  {
    type: 'run_queued',
    at: t(0),
    run: id,
    job: 'daily_warehouse',
    trigger: { kind: 'schedule', tick: t(0) },
    partition: '2026-11-30',
    steps,
    attempt: 1,
    ...extra,
  },
  { type: 'run_started', at: t(1), run: id, pid: 4242 },
];

test('summary of a successful extract + build run', () => {
  const id = 'r20261201T060000000Z-a1b2c3';
  const record = run([
    ...base(id, ['extract --all', 'build']),
    { type: 'step_started', at: t(1), run: id, step: 0, command: 'extract --all' },
    {
      type: 'step_finished',
      at: t(3),
      run: id,
      step: 0,
      status: 'success',
      exit_code: 0,
      result: fixture('extract-all.json'),
    },
    { type: 'step_started', at: t(3), run: id, step: 1, command: 'build' },
    {
      type: 'step_finished',
      at: t(8),
      run: id,
      step: 1,
      status: 'success',
      exit_code: 0,
      result: fixture('build-success.json'),
    },
    { type: 'run_finished', at: t(8), run: id, status: 'success' },
  ]);
  golden(
    'summary-success.txt',
    formatRunSummary(record, { logsCommand: `vaultline runs show ${id} --logs` }),
  );
});

test('summary of a failed build: the failed model and test, the error, later steps not run, the retry', () => {
  const id = 'r20261201T070000000Z-d4e5f6';
  const record = run([
    ...base(id, ['extract --all', 'build', 'test --select tag:marts'], {
      attempt: 2,
      retry_of: 'r20261201T060000000Z-a1b2c3',
      trigger: { kind: 'manual', by: 'api' },
    }),
    { type: 'step_started', at: t(1), run: id, step: 0, command: 'extract --all' },
    {
      type: 'step_finished',
      at: t(2),
      run: id,
      step: 0,
      status: 'success',
      exit_code: 0,
      result: fixture('extract-all.json'),
    },
    { type: 'step_started', at: t(2), run: id, step: 1, command: 'build' },
    {
      type: 'step_finished',
      at: t(9),
      run: id,
      step: 1,
      status: 'failed',
      exit_code: 1,
      result: fixture('build-failed.json'),
      error: '1 node(s) failed: launches_by_year\n1 test(s) failed: assert_always_fails',
    },
    {
      type: 'run_finished',
      at: t(9),
      run: id,
      status: 'failed',
      error: {
        step: 1,
        command: 'build',
        node: 'model.cloud_dw_datavault.launches_by_year',
        message:
          'models/marts/launches_by_year.sql:17: Binder Error: Referenced column "no_such_column" not found in FROM clause!',
      },
    },
    { type: 'retry_scheduled', at: t(9), run: id, next_attempt_at: t(69), delay_ms: 60_000, attempt: 3 },
  ]);
  golden('summary-failed.txt', formatRunSummary(record));
});

test('summary of an abandoned run with a skipped step, and of a queued one', () => {
  const id = 'r20261201T080000000Z-g7h8i9';
  const record = run([
    ...base(id, ['extract wikimedia --start 20261130 --end 20261130', 'seed', 'build'], {
      trigger: { kind: 'sensor', sensor: 'drops', item: 'drops/2026-11-30.csv' },
    }),
    {
      type: 'step_started',
      at: t(1),
      run: id,
      step: 0,
      command: 'extract wikimedia --start 20261130 --end 20261130',
    },
    {
      type: 'step_finished',
      at: t(2),
      run: id,
      step: 0,
      status: 'skipped',
      exit_code: 0,
      error: 'the partition was landed by an earlier run',
    },
    { type: 'step_started', at: t(2), run: id, step: 1, command: 'seed' },
    {
      type: 'run_finished',
      at: t(100),
      run: id,
      status: 'abandoned',
      error: {
        step: 1,
        command: 'seed',
        message: 'the process that ran it (pid 4242) is gone: the run was running when it stopped',
      },
    },
  ]);
  const queued = run(base('rq', ['build']).slice(0, 1));
  golden('summary-abandoned.txt', `${formatRunSummary(record)}\n\n${formatRunSummary(queued)}`);
});

test('an extract step names the resources that had no new data', async () => {
  const { extractLines } = await import('./summary-results.ts');
  const doc = fixture('extract-all.json') as {
    sources: Array<{ source: string; objects: Array<Record<string, unknown>> }>;
  };
  const spacex = doc.sources.find((s) => s.source === 'spacex');
  assert.ok(spacex);
  for (const object of spacex.objects)
    if (object.resource === 'rockets') Object.assign(object, { records: 0, no_data: 'HTTP 404: no rockets' });
  const lines = extractLines(doc) ?? [];
  const at = lines.findIndex((l) => l.startsWith('spacex'));
  assert.deepEqual(
    lines.slice(at + 1, at + 3).map((l) => l.trim()),
    [
      'new data: launches (8 record(s) in 1 object(s)), launchpads (6 record(s) in 1 object(s))',
      'no new data: rockets',
    ],
  );
});
