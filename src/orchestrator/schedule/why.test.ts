import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redactor } from '../../shared/redact.ts';
import { type JobConfig, jobSchema } from '../config.ts';
import type { RunSummary, SchedulerState } from '../types.ts';
import { explainJob, type WhyInput } from './why.ts';

const job = (fields: Record<string, unknown> = {}): JobConfig =>
  jobSchema.parse({
    steps: ['extract --all', 'build'],
    schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin' },
    ...fields,
  });

// 06:00 Berlin on 2026-03-04 is 05:00Z; it is now 10:00 local.
const TICK = '2026-03-04T05:00:00.000Z';
const NOW = new Date('2026-03-04T09:00:00Z');
const upAllDay: SchedulerState = {
  jobs: { nightly: { lastTick: TICK } },
  heartbeat: { pid: 41, startedAt: '2026-03-01T00:00:00.000Z', at: '2026-03-04T08:59:30.000Z' },
};

function why(fields: Partial<WhyInput> = {}) {
  return explainJob({
    name: 'nightly',
    job: job(),
    jobNames: ['nightly', 'hourly'],
    state: upAllDay,
    runs: [],
    now: NOW,
    serverRunning: true,
    sensors: [],
    ...fields,
  });
}

function run(fields: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1',
    job: 'nightly',
    trigger: { kind: 'schedule', tick: TICK },
    attempt: 1,
    status: 'success',
    queuedAt: TICK,
    startedAt: '2026-03-04T05:00:01.000Z',
    endedAt: '2026-03-04T05:10:00.000Z',
    steps: [],
    ...fields,
  };
}

const SCHEDULE_LINE =
  'Schedule: 0 6 * * * (Europe/Berlin), catch_up: latest; next tick 2026-03-05 06:00 CET (2026-03-05T05:00:00.000Z).';

describe('jobs that are not scheduled', () => {
  test('unknown_job: did you mean', () => {
    const answer = why({ name: 'nigthly', job: undefined });
    assert.equal(answer.verdict, 'unknown_job');
    assert.equal(answer.text, 'No job named "nigthly" in vaultline.yml.\nDid you mean "nightly"?');
  });

  test('unknown_job: the list of jobs when nothing is close, a hint when there are none', () => {
    assert.match(why({ name: 'marts', job: undefined }).text, /Jobs: hourly, nightly\./);
    assert.match(why({ name: 'marts', job: undefined, jobNames: [] }).text, /add one under jobs:/);
  });

  test('disabled', () => {
    const answer = why({ job: job({ enabled: false }) });
    assert.equal(answer.verdict, 'disabled');
    assert.match(answer.text, /enabled: false in vaultline\.yml/);
    assert.match(answer.text, /does not catch up the disabled period/);
    assert.match(
      answer.text,
      /Schedule: 0 6 \* \* \* \(Europe\/Berlin\), catch_up: latest; no next tick while disabled\./,
    );
  });

  test('not_scheduled: started by hand only', () => {
    const answer = why({ job: job({ schedule: undefined }) });
    assert.equal(answer.verdict, 'not_scheduled');
    assert.match(answer.text, /no schedule and no sensor starts it/);
    assert.match(answer.text, /vaultline run-job nightly/);
    assert.match(answer.text, /Schedule: none/);
  });

  test('not_scheduled: a sensor starts it', () => {
    const answer = why({
      job: job({ schedule: undefined }),
      sensors: [
        { name: 'landed_orders', job: 'nightly', lastPollAt: '2026-03-04T08:59:00.000Z' },
        { name: 'other', job: 'hourly', lastError: 'not ours' },
      ],
    });
    assert.equal(answer.verdict, 'not_scheduled');
    assert.match(
      answer.text,
      /runs when sensor landed_orders \(last poll 2026-03-04 08:59 UTC\) finds something new/,
    );
  });

  test('failed_sensor: the sensor that starts it failed its last poll', () => {
    const answer = why({
      job: job({ schedule: undefined }),
      sensors: [
        {
          name: 'bucket',
          job: 'nightly',
          lastPollAt: '2026-03-04T08:59:00.000Z',
          lastError: 'AccessDenied: no s3:ListBucket on landing-bucket\n  at request (…)',
        },
      ],
    });
    assert.equal(answer.verdict, 'failed_sensor');
    assert.match(answer.text, /sensor bucket starts it, and its last poll failed/);
    assert.match(answer.text, /AccessDenied: no s3:ListBucket on landing-bucket$/m);
    assert.doesNotMatch(answer.text, /at request/);
  });
});

describe('a run exists for the expected tick', () => {
  test('ran: success, with the run id', () => {
    const answer = why({ runs: [run()] });
    assert.equal(answer.verdict, 'ran');
    assert.equal(answer.run, 'run-1');
    assert.equal(answer.expectedTick, TICK);
    assert.equal(
      answer.text,
      `nightly's tick 2026-03-04 06:00 CET ran: run run-1, succeeded at 2026-03-04 06:10 CET.\n${SCHEDULE_LINE}`,
    );
  });

  test('ran: failed, with the first line of the error and the next attempt', () => {
    const failed = run({
      id: 'run-2',
      attempt: 2,
      status: 'failed',
      error: {
        step: 1,
        command: 'build',
        node: 'model.marts.orders',
        message: 'Binder Error: column x\nLINE 1: …',
      },
      nextAttemptAt: '2026-03-04T09:30:00.000Z',
    });
    const answer = why({ runs: [failed, run({ status: 'failed' })] });
    assert.equal(answer.verdict, 'ran');
    assert.equal(answer.run, 'run-2');
    assert.match(answer.text, /ran: run run-2, attempt 2, failed at 2026-03-04 06:10 CET\./);
    assert.match(answer.text, /^ {2}step build, node model\.marts\.orders: Binder Error: column x$/m);
    assert.doesNotMatch(answer.text, /LINE 1/);
    assert.match(answer.text, /Next attempt at 2026-03-04 10:30 CET\./);
    assert.match(answer.text, /vaultline runs show run-2/);
  });

  test('ran: a catch-up run answers for the tick too', () => {
    const answer = why({ runs: [run({ trigger: { kind: 'catch_up', tick: TICK } })] });
    assert.equal(answer.verdict, 'ran');
    assert.match(answer.text, /ran as a catch-up: run run-1/);
  });

  test('a run of another tick, or a manual run, does not answer for it', () => {
    const answer = why({
      runs: [
        run({ id: 'manual', trigger: { kind: 'manual', by: 'run-job' } }),
        run({ id: 'yesterday', trigger: { kind: 'schedule', tick: '2026-03-03T05:00:00.000Z' } }),
      ],
    });
    assert.notEqual(answer.verdict, 'ran');
    assert.match(answer.text, /Its latest run: manual \(manual \(run-job\), success/);
  });

  test('queued: behind the run that is running', () => {
    const queued = run({ id: 'run-9', status: 'queued', startedAt: undefined, endedAt: undefined });
    const running = run({
      id: 'run-8',
      status: 'running',
      trigger: { kind: 'manual', by: 'api' },
      startedAt: '2026-03-04T04:30:00.000Z',
      endedAt: undefined,
    });
    const answer = why({ runs: [queued, running] });
    assert.equal(answer.verdict, 'queued');
    assert.equal(answer.run, 'run-9');
    assert.match(answer.text, /is queued: run run-9, since 2026-03-04 06:00 CET\./);
    assert.match(
      answer.text,
      /waits behind run run-8 \(manual \(api\), running since 2026-03-04 05:30 CET\)/,
    );
  });

  test('still_running: since when, and which step', () => {
    const answer = why({
      runs: [
        run({
          status: 'running',
          endedAt: undefined,
          startedAt: '2026-03-04T05:00:00.000Z',
          steps: [
            { index: 0, command: 'extract --all', status: 'success' },
            { index: 1, command: 'build', status: 'running' },
          ],
        }),
      ],
    });
    assert.equal(answer.verdict, 'still_running');
    assert.match(answer.text, /still running: run run-1, since 2026-03-04 06:00 CET \(4h\)\./);
    assert.match(answer.text, /Step 2 of 2: build\./);
  });
});

describe('no run for the expected tick', () => {
  test('server_down: the last heartbeat is older than the tick', () => {
    const answer = why({
      serverRunning: false,
      state: {
        jobs: { nightly: { lastTick: '2026-03-03T05:00:00.000Z' } },
        heartbeat: { pid: 41, startedAt: '2026-03-01T00:00:00.000Z', at: '2026-03-03T22:14:00.000Z' },
      },
    });
    assert.equal(answer.verdict, 'server_down');
    assert.equal(answer.expectedTick, TICK);
    assert.equal(
      answer.text,
      [
        'The server was not running at 2026-03-04 06:00 CET (last heartbeat 2026-03-03 23:14 CET); start it with `vaultline serve`, or run it now with `vaultline run-job nightly`.',
        'When it starts, catch_up: latest will run the most recent missed tick (this one) as a catch-up.',
        SCHEDULE_LINE,
      ].join('\n'),
    );
  });

  test('server_down: never started, job never seen', () => {
    const answer = why({ serverRunning: false, state: { jobs: {} } });
    assert.equal(answer.verdict, 'server_down');
    assert.match(answer.text, /no heartbeat recorded/);
    assert.match(answer.text, /It has not seen nightly yet/);
  });

  test('server_down: it stopped after the tick but before dealing with it', () => {
    const answer = why({
      serverRunning: false,
      state: {
        jobs: { nightly: { lastTick: '2026-03-03T05:00:00.000Z' } },
        heartbeat: { pid: 41, startedAt: '2026-03-01T00:00:00.000Z', at: '2026-03-04T05:00:00.000Z' },
      },
      job: job({ catch_up: 'none' }),
    });
    assert.equal(answer.verdict, 'server_down');
    assert.match(
      answer.text,
      /The server stopped \(last heartbeat 2026-03-04 06:00 CET\) before it dealt with the tick/,
    );
    assert.match(answer.text, /catch_up: none will pass over the missed ticks/);
  });

  test('passed_by_catch_up: the server came back after the tick and catch_up: none passed it', () => {
    const answer = why({
      job: job({ catch_up: 'none' }),
      state: {
        jobs: { nightly: { lastTick: TICK } },
        heartbeat: { pid: 52, startedAt: '2026-03-04T08:00:00.000Z', at: '2026-03-04T08:59:00.000Z' },
      },
    });
    assert.equal(answer.verdict, 'passed_by_catch_up');
    assert.match(
      answer.text,
      /The server was not running at 2026-03-04 06:00 CET; it started again at 2026-03-04 09:00 CET\./,
    );
    assert.match(
      answer.text,
      /catch_up: none runs no missed tick, so it passed over this one; run it now with `vaultline run-job nightly`, or set catch_up: latest\./,
    );
    assert.match(answer.text, /catch_up: none; next tick/);
  });

  test('passed_by_catch_up: the partition is before partitions.start', () => {
    const answer = why({
      job: job({ partitions: { by: 'day', start: '2026-03-10', timezone: 'Europe/Berlin' } }),
    });
    assert.equal(answer.verdict, 'passed_by_catch_up');
    assert.match(answer.text, /Its partition 2026-03-03 is before partitions\.start 2026-03-10/);
  });

  test('passed_by_catch_up: the server was up; the job was added or enabled after the tick', () => {
    const answer = why({
      state: { ...upAllDay, jobs: { nightly: { lastTick: '2026-03-04T07:12:00.000Z' } } },
    });
    assert.equal(answer.verdict, 'passed_by_catch_up');
    assert.match(answer.text, /disabled, or added to vaultline\.yml, after 2026-03-04 06:00 CET/);
  });

  test('not_reached: the server is running but has not dealt with the tick yet', () => {
    const answer = explainJob({
      name: 'nightly',
      job: job(),
      jobNames: ['nightly'],
      state: {
        jobs: { nightly: { lastTick: '2026-03-03T05:00:00.000Z' } },
        heartbeat: { pid: 41, startedAt: '2026-03-01T00:00:00.000Z', at: '2026-03-04T05:00:10.000Z' },
      },
      runs: [],
      now: new Date('2026-03-04T05:00:20Z'),
      serverRunning: true,
      sensors: [],
    });
    assert.equal(answer.verdict, 'not_reached');
    assert.match(
      answer.text,
      /has not dealt with the tick 2026-03-04 06:00 CET yet \(the last it dealt with: 2026-03-03 06:00 CET\)/,
    );
  });

  test('not_reached: a stale heartbeat says the scheduler may be stuck', () => {
    const answer = why({
      state: {
        jobs: { nightly: { lastTick: '2026-03-03T05:00:00.000Z' } },
        heartbeat: { pid: 41, startedAt: '2026-03-01T00:00:00.000Z', at: '2026-03-04T02:00:00.000Z' },
      },
    });
    assert.equal(answer.verdict, 'not_reached');
    assert.match(answer.text, /last checked in before the tick \(last heartbeat 2026-03-04 03:00 CET\)/);
    assert.match(answer.text, /stuck/);
  });

  test('not_reached: restarted after the tick, catch-up still to come', () => {
    const answer = why({
      state: {
        jobs: { nightly: { lastTick: '2026-03-03T05:00:00.000Z' } },
        heartbeat: { pid: 52, startedAt: '2026-03-04T08:59:00.000Z', at: '2026-03-04T08:59:05.000Z' },
      },
    });
    assert.equal(answer.verdict, 'not_reached');
    assert.match(
      answer.text,
      /it started at 2026-03-04 09:59 CET and catch_up: latest will run the most recent missed tick/,
    );
  });

  test('first_tick_pending: the scheduler has not seen the job yet', () => {
    const answer = why({ state: { ...upAllDay, jobs: {} } });
    assert.equal(answer.verdict, 'first_tick_pending');
    assert.match(answer.text, /has not seen nightly yet/);
    assert.match(answer.text, /ticks before that, such as 2026-03-04 06:00 CET, are not caught up/);
    assert.ok(answer.text.endsWith(SCHEDULE_LINE));
  });
});

describe('every answer', () => {
  test('mentions the warehouse lock holder when given', () => {
    const answer = why({
      runs: [run({ status: 'failed', error: { message: 'could not lock the warehouse' } })],
      lockHolder: 'vaultline build (pid 123)',
    });
    assert.match(answer.text, /The warehouse was locked by vaultline build \(pid 123\)\./);
  });

  test('names the schedule and the next tick, in the job zone', () => {
    for (const answer of [
      why(),
      why({ runs: [run()] }),
      why({ serverRunning: false, state: { jobs: {} } }),
    ]) {
      assert.ok(answer.text.endsWith(SCHEDULE_LINE), answer.text);
    }
  });

  test('secrets in run errors are scrubbed', () => {
    redactor.addSecret('hunter2-warehouse-password', 'environment variable PGPASSWORD');
    const answer = why({
      runs: [run({ status: 'failed', error: { message: 'auth failed for hunter2-warehouse-password' } })],
    });
    assert.doesNotMatch(answer.text, /hunter2/);
    assert.match(answer.text, /auth failed for \*\*\*/);
  });
});
