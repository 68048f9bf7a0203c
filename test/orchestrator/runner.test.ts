import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import type { VaultlineConfig } from '../../src/config/schema.ts';
import { ManualClock } from '../../src/orchestrator/clock.ts';
import { type TestEngine, type TestWarehouse, testEngines } from '../helpers/engines.ts';
import { openRunner, until } from './helpers/project.ts';

/**
 * The job runner on a real project and a real DuckDB warehouse, with a clock that moves only when
 * the test says: steps in order, a failed step skipping the rest and naming its node, retries with
 * their backoff stopping at `max`, the timeout, cancellation.
 */
const dirs: string[] = [];
const warehouses: TestWarehouse[] = [];
after(async () => {
  for (const warehouse of warehouses) await warehouse.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Minutes of work unless it is interrupted: what a timeout must stop. */
const SLOW_SQL: Record<string, string> = {
  duckdb: 'select count(*) as n from range(100000000) a, range(100000) b where a.range * b.range = -1',
  postgres: 'select pg_sleep(600) is null as slept',
};

async function project(engine: TestEngine, jobs: string): Promise<VaultlineConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-runner-'));
  dirs.push(dir);
  const warehouse = await engine.create(dir);
  warehouses.push(warehouse);
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'models', 'ok.sql'), 'select 1 as id\n');
  writeFileSync(join(dir, 'models', 'broken.sql'), 'select * from no_such_table\n');
  writeFileSync(join(dir, 'models', 'slow.sql'), `${SLOW_SQL[engine.name]}\n`);
  writeFileSync(join(dir, 'vaultline.yml'), `name: p\n${warehouse.yaml()}jobs:\n${jobs}`);
  return loadConfig(dir, {});
}

async function harness(config: VaultlineConfig, start = new Date('2026-03-01T00:00:00Z')) {
  const clock = new ManualClock(start);
  return { clock, ...(await openRunner(config, clock)) };
}

for (const engine of testEngines())
  describe(`job runner (${engine.name})`, () => {
    test('steps run in order; a failed step names its node and skips the steps after it', async () => {
      const config = await project(
        engine,
        '  nightly:\n    steps: ["build --select ok", "build --select broken", "build --select ok"]\n',
      );
      const h = await harness(config);
      try {
        const run = await h.runner.start({ job: 'nightly', trigger: { kind: 'manual', by: 'api' } }).done;
        assert.equal(run.status, 'failed');
        assert.deepEqual(
          run.steps.map((s) => s.status),
          ['success', 'failed', 'skipped'],
        );
        assert.equal(run.error?.step, 1);
        assert.equal(run.error?.node, 'model.p.broken');
        assert.match(run.error?.message ?? '', /no_such_table/);
        assert.ok(h.stores.runs.logs(run.id).some((line) => line.step === 0 && /ok/.test(line.text)));
        assert.equal(h.finished.length, 1, 'one finished run (no retries configured)');
        // What was stored is what `runs show` reads back.
        assert.deepEqual(
          h.stores.runs.get(run.id)?.steps.map((s) => s.status),
          ['success', 'failed', 'skipped'],
        );
      } finally {
        await h.close();
      }
    });

    test('retries back off exponentially and stop at max', async () => {
      const config = await project(
        engine,
        '  flaky:\n    steps: ["build --select broken"]\n    retries: {max: 3, backoff: exponential, initial: 30s, jitter: false}\n',
      );
      const h = await harness(config);
      try {
        const started = h.runner.start({ job: 'flaky', trigger: { kind: 'manual', by: 'api' } });
        const delays: number[] = [];
        for (let retry = 1; retry <= 3; retry++) {
          await until(
            () => h.events.filter((e) => e.type === 'retry_scheduled').length === retry,
            `retry ${retry}`,
          );
          const scheduled = h.events.filter((e) => e.type === 'retry_scheduled').at(-1);
          assert.ok(scheduled?.type === 'retry_scheduled');
          delays.push(scheduled.delay_ms);
          await until(() => h.clock.waiting > 0, 'the runner to wait for its retry');
          // Nothing runs before the delay is over.
          await h.clock.advance(scheduled.delay_ms - 1);
          assert.equal(h.events.filter((e) => e.type === 'run_queued').length, retry);
          await h.clock.advance(1);
        }
        const last = await started.done;
        assert.deepEqual(delays, [30_000, 60_000, 120_000]);
        assert.equal(last.attempt, 4);
        assert.equal(last.status, 'failed');
        assert.equal(h.events.filter((e) => e.type === 'run_queued').length, 4, 'max 3 retries = 4 attempts');
        assert.equal(h.finished.length, 1, 'alerts see the last attempt only');
        assert.equal(h.finished[0]?.id, last.id);
        assert.ok(last.retryOf, 'the last attempt names the run it retries');
      } finally {
        await h.close();
      }
    });

    test('a run over its timeout is stopped through the engine and fails saying so', async () => {
      const config = await project(
        engine,
        '  slow:\n    steps: ["build --select slow", "build --select ok"]\n    timeout: 5m\n',
      );
      const h = await harness(config);
      try {
        const started = h.runner.start({ job: 'slow', trigger: { kind: 'manual', by: 'api' } });
        await until(() => h.events.some((e) => e.type === 'step_started'), 'the step to start');
        await until(() => h.clock.waiting > 0, 'the timeout timer');
        await h.clock.advance(5 * 60_000);
        const run = await started.done;
        assert.equal(run.status, 'failed');
        assert.match(run.error?.message ?? '', /timed out after 5m/);
        assert.deepEqual(
          run.steps.map((s) => s.status),
          ['cancelled', 'skipped'],
        );
      } finally {
        await h.close();
      }
    });

    test('cancelling a queued run ends it without running a step; runs go one at a time', async () => {
      const config = await project(engine, '  a:\n    steps: ["build --select ok"]\n');
      const h = await harness(config);
      try {
        const first = h.runner.start({ job: 'a', trigger: { kind: 'manual', by: 'api' } });
        const second = h.runner.start({ job: 'a', trigger: { kind: 'manual', by: 'api' } });
        assert.ok(h.runner.cancel(second.run));
        const [one, two] = await Promise.all([first.done, second.done]);
        assert.equal(one.status, 'success');
        assert.equal(two.status, 'cancelled');
        assert.deepEqual(
          two.steps.map((s) => s.status),
          ['pending'],
        );
      } finally {
        await h.close();
      }
    });
  });
