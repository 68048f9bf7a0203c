import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type JobConfig, jobSchema } from '../config.ts';
import type { SchedulerState } from '../types.ts';
import { type DueRun, decide, type PassedTick, type ScheduleInput } from './decide.ts';
import { ticksBetween } from './ticks.ts';
import { localDate } from './zone.ts';

const at = (iso: string) => new Date(iso);
const job = (fields: Record<string, unknown>): JobConfig => jobSchema.parse({ steps: ['build'], ...fields });
const daily = (cron: string, timezone: string, extra: Record<string, unknown> = {}) =>
  job({ schedule: { cron, timezone }, ...extra });
const stateWith = (lastTicks: Record<string, string>): SchedulerState => ({
  jobs: Object.fromEntries(Object.entries(lastTicks).map(([name, lastTick]) => [name, { lastTick }])),
});
const brief = (runs: DueRun[]) => runs.map((run) => `${run.job} ${run.tick} ${run.trigger}`);
const briefPassed = (ticks: PassedTick[]) => ticks.map((tick) => `${tick.job} ${tick.tick} ${tick.reason}`);

describe('first sight, on time, late', () => {
  const jobs = { nightly: daily('0 6 * * *', 'Europe/Berlin') };

  test('a job seen for the first time fires nothing and remembers now', () => {
    const now = at('2026-03-04T05:00:30Z');
    const decision = decide({ jobs, state: { jobs: {} }, now });
    assert.deepEqual(decision.due, []);
    assert.deepEqual(decision.passed, []);
    assert.deepEqual(decision.state.jobs, { nightly: { lastTick: now.toISOString() } });
    assert.equal(decision.nextWakeAt?.toISOString(), '2026-03-05T05:00:00.000Z');
  });

  test('an unreadable lastTick counts as first sight', () => {
    const now = at('2026-03-04T05:00:30Z');
    const decision = decide({ jobs, state: stateWith({ nightly: 'yesterday' }), now });
    assert.deepEqual(decision.due, []);
    assert.equal(decision.state.jobs.nightly?.lastTick, now.toISOString());
  });

  test('a tick dealt with within the grace period fires as schedule', () => {
    const decision = decide({
      jobs,
      state: stateWith({ nightly: '2026-03-03T05:00:00.000Z' }),
      now: at('2026-03-04T05:00:59Z'),
    });
    assert.deepEqual(brief(decision.due), ['nightly 2026-03-04T05:00:00.000Z schedule']);
    assert.equal(decision.state.jobs.nightly?.lastTick, '2026-03-04T05:00:00.000Z');
  });

  test('graceMs decides what is on time', () => {
    const input: ScheduleInput = {
      jobs: { nightly: daily('0 6 * * *', 'Europe/Berlin', { catch_up: 'none' }) },
      state: stateWith({ nightly: '2026-03-03T05:00:00.000Z' }),
      now: at('2026-03-04T05:02:00Z'),
    };
    assert.deepEqual(brief(decide(input).due), []);
    assert.deepEqual(briefPassed(decide(input).passed), ['nightly 2026-03-04T05:00:00.000Z catch_up_none']);
    assert.deepEqual(brief(decide({ ...input, graceMs: 180_000 }).due), [
      'nightly 2026-03-04T05:00:00.000Z schedule',
    ]);
  });

  test('no tick since lastTick: nothing, state unchanged', () => {
    const state = stateWith({ nightly: '2026-03-04T05:00:00.000Z' });
    const decision = decide({ jobs, state, now: at('2026-03-04T12:00:00Z') });
    assert.deepEqual(decision.due, []);
    assert.deepEqual(decision.state, state);
  });

  test('the same input gives the same decision', () => {
    const input: ScheduleInput = {
      jobs,
      state: stateWith({ nightly: '2026-03-01T05:00:00.000Z' }),
      now: at('2026-03-04T07:00:00Z'),
    };
    assert.deepEqual(decide(input), decide(input));
  });
});

describe('catch-up after a 3-day downtime', () => {
  // Ticks at 06:00 Berlin: 03-02, 03-03 and 03-04 (05:00Z) are missed; the server returns at 08:00.
  const state = stateWith({ nightly: '2026-03-01T05:00:00.000Z' });
  const now = at('2026-03-04T07:00:00Z');
  const run = (catch_up: string, when = now) =>
    decide({ jobs: { nightly: daily('0 6 * * *', 'Europe/Berlin', { catch_up }) }, state, now: when });

  test('none: nothing runs, every missed tick is passed', () => {
    const decision = run('none');
    assert.deepEqual(decision.due, []);
    assert.deepEqual(briefPassed(decision.passed), [
      'nightly 2026-03-02T05:00:00.000Z catch_up_none',
      'nightly 2026-03-03T05:00:00.000Z catch_up_none',
      'nightly 2026-03-04T05:00:00.000Z catch_up_none',
    ]);
    assert.equal(decision.state.jobs.nightly?.lastTick, '2026-03-04T05:00:00.000Z');
  });

  test('latest: the most recent runs as a catch-up, the others are passed', () => {
    const decision = run('latest');
    assert.deepEqual(brief(decision.due), ['nightly 2026-03-04T05:00:00.000Z catch_up']);
    assert.deepEqual(briefPassed(decision.passed), [
      'nightly 2026-03-02T05:00:00.000Z catch_up_latest',
      'nightly 2026-03-03T05:00:00.000Z catch_up_latest',
    ]);
    assert.equal(decision.state.jobs.nightly?.lastTick, '2026-03-04T05:00:00.000Z');
  });

  test('all: each missed tick runs, oldest first', () => {
    const decision = run('all');
    assert.deepEqual(brief(decision.due), [
      'nightly 2026-03-02T05:00:00.000Z catch_up',
      'nightly 2026-03-03T05:00:00.000Z catch_up',
      'nightly 2026-03-04T05:00:00.000Z catch_up',
    ]);
    assert.deepEqual(decision.passed, []);
  });

  test('back just in time for a tick: that tick is on time (schedule) under every policy', () => {
    const justInTime = at('2026-03-04T05:00:20Z');
    assert.deepEqual(brief(run('none', justInTime).due), ['nightly 2026-03-04T05:00:00.000Z schedule']);
    assert.equal(run('none', justInTime).passed.length, 2);
    assert.deepEqual(brief(run('latest', justInTime).due), ['nightly 2026-03-04T05:00:00.000Z schedule']);
    assert.deepEqual(brief(run('all', justInTime).due), [
      'nightly 2026-03-02T05:00:00.000Z catch_up',
      'nightly 2026-03-03T05:00:00.000Z catch_up',
      'nightly 2026-03-04T05:00:00.000Z schedule',
    ]);
  });

  test('downtime across a DST change: the missed ticks are the real instants', () => {
    const decision = decide({
      jobs: { early: daily('30 2 * * *', 'Europe/Berlin', { catch_up: 'all' }) },
      state: stateWith({ early: '2026-03-28T01:30:00.000Z' }),
      now: at('2026-03-31T06:00:00Z'),
    });
    assert.deepEqual(brief(decision.due), [
      'early 2026-03-29T01:00:00.000Z catch_up',
      'early 2026-03-30T00:30:00.000Z catch_up',
      'early 2026-03-31T00:30:00.000Z catch_up',
    ]);
  });
});

describe('the tick cap', () => {
  const minutely = job({ schedule: '* * * * *', catch_up: 'all' });

  test('beyond the cap the older ticks are summarised in one passed entry', () => {
    const decision = decide({
      jobs: { minutely },
      state: stateWith({ minutely: '2026-01-01T00:00:00.000Z' }),
      now: at('2026-01-02T00:00:00Z'),
      tickLimit: 100,
    });
    assert.equal(decision.due.length, 100);
    assert.equal(decision.due[0]?.tick, '2026-01-01T22:21:00.000Z');
    assert.equal(decision.due.at(-1)?.tick, '2026-01-02T00:00:00.000Z');
    assert.equal(decision.due.at(-1)?.trigger, 'schedule');
    assert.deepEqual(decision.passed, [
      {
        job: 'minutely',
        tick: '2026-01-01T00:01:00.000Z',
        reason: 'too_many',
        count: 1340,
        through: '2026-01-01T22:20:00.000Z',
      },
    ]);
    assert.equal(decision.state.jobs.minutely?.lastTick, '2026-01-02T00:00:00.000Z');
  });

  test('the default cap is 10,000 (ten days of a per-minute job, policy latest)', () => {
    const decision = decide({
      jobs: { minutely: job({ schedule: '* * * * *' }) },
      state: stateWith({ minutely: '2026-01-01T00:00:00.000Z' }),
      now: at('2026-01-11T00:00:30Z'),
    });
    assert.deepEqual(brief(decision.due), ['minutely 2026-01-11T00:00:00.000Z schedule']);
    const tooMany = decision.passed.filter((tick) => tick.reason === 'too_many');
    assert.equal(tooMany.length, 1);
    assert.equal(tooMany[0]?.count, 14_400 - 10_000);
    assert.equal(decision.passed.length, 1 + 9_999);
  });
});

describe('disabled and unconfigured jobs', () => {
  test('a disabled job fires nothing and its lastTick advances to now', () => {
    const decision = decide({
      jobs: { nightly: daily('0 6 * * *', 'UTC', { enabled: false, catch_up: 'all' }) },
      state: stateWith({ nightly: '2026-03-01T06:00:00.000Z' }),
      now: at('2026-03-04T07:00:00Z'),
    });
    assert.deepEqual(decision.due, []);
    assert.deepEqual(decision.passed, []);
    assert.equal(decision.state.jobs.nightly?.lastTick, '2026-03-04T07:00:00.000Z');
    assert.equal(decision.nextWakeAt, undefined);
  });

  test('re-enabling does not catch up the disabled period', () => {
    const disabled = daily('0 6 * * *', 'UTC', { enabled: false, catch_up: 'all' });
    let state = stateWith({ nightly: '2026-03-01T06:00:00.000Z' });
    state = decide({ jobs: { nightly: disabled }, state, now: at('2026-03-04T07:00:00Z') }).state;
    const enabled = { ...disabled, enabled: true };
    const back = decide({ jobs: { nightly: enabled }, state, now: at('2026-03-05T06:00:10Z') });
    assert.deepEqual(brief(back.due), ['nightly 2026-03-05T06:00:00.000Z schedule']);
  });

  test('jobs no longer configured or no longer scheduled are dropped; the heartbeat is kept', () => {
    const heartbeat = { pid: 7, startedAt: '2026-03-04T00:00:00.000Z', at: '2026-03-04T06:59:00.000Z' };
    const decision = decide({
      jobs: { nightly: daily('0 6 * * *', 'UTC'), manual: job({}) },
      state: { ...stateWith({ nightly: '2026-03-04T06:00:00.000Z', gone: 'x', manual: 'y' }), heartbeat },
      now: at('2026-03-04T07:00:00Z'),
    });
    assert.deepEqual(Object.keys(decision.state.jobs), ['nightly']);
    assert.deepEqual(decision.state.heartbeat, heartbeat);
  });

  test('a clock that went back does not move lastTick back', () => {
    const decision = decide({
      jobs: { nightly: daily('0 6 * * *', 'UTC', { enabled: false }) },
      state: stateWith({ nightly: '2026-03-05T06:00:00.000Z' }),
      now: at('2026-03-04T07:00:00Z'),
    });
    assert.equal(decision.state.jobs.nightly?.lastTick, '2026-03-05T06:00:00.000Z');
  });
});

describe('partitions', () => {
  test('each tick runs for the day before it in the partitions time zone', () => {
    // 01:30 Berlin on 2026-04-02 is 2026-04-01T23:30Z.
    const tick = '2026-04-01T23:30:00.000Z';
    for (const [timezone, partition] of [
      ['UTC', '2026-03-31'],
      ['Europe/Berlin', '2026-04-01'],
      ['Asia/Tokyo', '2026-04-01'],
      ['America/Los_Angeles', '2026-03-31'],
    ] as const) {
      const decision = decide({
        jobs: {
          daily: daily('30 1 * * *', 'Europe/Berlin', {
            partitions: { by: 'day', start: '2026-01-01', timezone },
          }),
        },
        state: stateWith({ daily: '2026-03-31T23:30:00.000Z' }),
        now: at('2026-04-01T23:30:10Z'),
      });
      assert.deepEqual(decision.due, [{ job: 'daily', tick, trigger: 'schedule', partition }], timezone);
    }
  });

  test('ticks whose partition is before partitions.start are passed, the policy applies to the rest', () => {
    const decision = decide({
      jobs: {
        daily: daily('0 6 * * *', 'UTC', {
          catch_up: 'all',
          partitions: { by: 'day', start: '2026-03-03', timezone: 'UTC' },
        }),
      },
      state: stateWith({ daily: '2026-03-01T06:00:00.000Z' }),
      now: at('2026-03-05T07:00:00Z'),
    });
    assert.deepEqual(
      decision.passed.map((tick) => `${tick.tick} ${tick.reason} ${tick.partition}`),
      [
        '2026-03-02T06:00:00.000Z before_partition_start 2026-03-01',
        '2026-03-03T06:00:00.000Z before_partition_start 2026-03-02',
      ],
    );
    assert.deepEqual(
      decision.due.map((run) => `${run.tick} ${run.trigger} ${run.partition}`),
      ['2026-03-04T06:00:00.000Z catch_up 2026-03-03', '2026-03-05T06:00:00.000Z catch_up 2026-03-04'],
    );
  });
});

describe('nextWakeAt', () => {
  test('the earliest next tick over enabled scheduled jobs', () => {
    const decision = decide({
      jobs: {
        berlin: daily('0 6 * * *', 'Europe/Berlin'),
        newYork: daily('0 6 * * *', 'America/New_York'),
        sooner: daily('0 1 * * *', 'UTC', { enabled: false }),
        manual: job({}),
      },
      state: { jobs: {} },
      now: at('2026-03-04T07:00:00Z'),
    });
    assert.equal(decision.nextWakeAt?.toISOString(), '2026-03-04T11:00:00.000Z');
  });

  test('no scheduled job: no wake-up', () => {
    assert.equal(
      decide({ jobs: { manual: job({}) }, state: { jobs: {} }, now: at('2026-03-04T07:00:00Z') }).nextWakeAt,
      undefined,
    );
  });
});

describe('the live loop across DST weekends: every tick fires exactly once, on time', () => {
  const jobs: Record<string, JobConfig> = {
    berlinEarly: daily('30 2 * * *', 'Europe/Berlin'),
    berlinTwo: daily('0 2 * * *', 'Europe/Berlin', { catch_up: 'none' }),
    berlinHourly: daily('0 * * * *', 'Europe/Berlin', { catch_up: 'none' }),
    newYorkEarly: daily('30 1 * * *', 'America/New_York', { catch_up: 'all' }),
    newYorkHourly: daily('30 * * * *', 'America/New_York'),
    quarter: daily('*/15 2 * * *', 'Europe/Berlin'),
    partitioned: daily('0 3 * * *', 'America/New_York', {
      partitions: { by: 'day', start: '2020-01-01', timezone: 'Asia/Tokyo' },
    }),
  };

  function simulate(from: string, to: string, wakeAt: (previous: Date, decisionWake?: Date) => Date) {
    let state: SchedulerState = { jobs: {} };
    let now = at(from);
    const fired: DueRun[] = [];
    const passed: PassedTick[] = [];
    let wake: Date | undefined;
    while (now.getTime() <= at(to).getTime()) {
      const decision = decide({ jobs, state, now });
      fired.push(...decision.due);
      passed.push(...decision.passed);
      state = decision.state;
      wake = decision.nextWakeAt;
      now = wakeAt(now, wake);
    }
    return { fired, passed, start: at(from), end: new Date(now.getTime() - 1) };
  }

  function assertEachTickOnce(result: ReturnType<typeof simulate>, lastDecisionAt: Date) {
    assert.deepEqual(result.passed, []);
    assert.ok(result.fired.every((run) => run.trigger === 'schedule'));
    for (const [name, config] of Object.entries(jobs)) {
      const expected = ticksBetween(config.schedule!, result.start, lastDecisionAt).map((tick) =>
        tick.toISOString(),
      );
      assert.deepEqual(
        result.fired.filter((run) => run.job === name).map((run) => run.tick),
        expected,
        name,
      );
    }
  }

  // Every minute over the 12 hours around each change (the costly loop), and at each nextWakeAt over
  // whole weekends: both must fire exactly the ticks the cron names, each once, none late.
  for (const [label, from, to, weekendFrom, weekendTo] of [
    [
      'Berlin spring 2026',
      '2026-03-28T19:00:00Z',
      '2026-03-29T07:00:00Z',
      '2026-03-27T00:00:00Z',
      '2026-03-31T00:00:00Z',
    ],
    [
      'New York spring 2026',
      '2026-03-08T02:00:00Z',
      '2026-03-08T14:00:00Z',
      '2026-03-06T00:00:00Z',
      '2026-03-10T00:00:00Z',
    ],
    [
      'Berlin fall 2026',
      '2026-10-24T19:00:00Z',
      '2026-10-25T07:00:00Z',
      '2026-10-23T00:00:00Z',
      '2026-10-27T00:00:00Z',
    ],
    [
      'New York fall 2026',
      '2026-11-01T02:00:00Z',
      '2026-11-01T14:00:00Z',
      '2026-10-30T00:00:00Z',
      '2026-11-03T00:00:00Z',
    ],
  ] as const) {
    test(`${label}: decide every minute`, () => {
      let last = at(from);
      const result = simulate(from, to, (previous) => {
        last = previous;
        return new Date(previous.getTime() + 60_000);
      });
      assertEachTickOnce(result, last);
    });

    test(`${label}: decide at each nextWakeAt (+7 s of lateness), the whole weekend`, () => {
      let last = at(weekendFrom);
      const result = simulate(weekendFrom, weekendTo, (previous, wake) => {
        last = previous;
        return new Date((wake ?? previous).getTime() + 7_000);
      });
      assertEachTickOnce(result, last);
    });
  }

  test('the exact instants fired across the Berlin and New York changes', () => {
    const atEachWake = (previous: Date, wake?: Date) => new Date((wake ?? previous).getTime() + 1_000);
    const spring = simulate('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z', atEachWake);
    const ticksOf = (result: typeof spring, name: string) =>
      result.fired.filter((run) => run.job === name).map((run) => run.tick);
    assert.deepEqual(ticksOf(spring, 'berlinEarly'), [
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    const onLocalDay = (ticks: string[], day: string) =>
      ticks.filter((tick) => localDate(new Date(tick), 'Europe/Berlin') === day).length;
    assert.equal(onLocalDay(ticksOf(spring, 'berlinHourly'), '2026-03-29'), 23);
    assert.equal(onLocalDay(ticksOf(spring, 'berlinHourly'), '2026-03-28'), 24);
    // A pattern with several minutes in the 02:00 hour follows the wall clock (croner: only single-value
    // times move out of the gap): none on the spring day, both 02:xx hours on the fall day.
    assert.equal(onLocalDay(ticksOf(spring, 'quarter'), '2026-03-29'), 0);
    const berlinFall = simulate('2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z', atEachWake);
    assert.equal(
      ticksOf(berlinFall, 'quarter').filter(
        (tick) => localDate(new Date(tick), 'Europe/Berlin') === '2026-10-25',
      ).length,
      8,
    );
    assert.deepEqual(ticksOf(berlinFall, 'berlinEarly').slice(1, 4), [
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    const fall = simulate('2026-10-31T00:00:00Z', '2026-11-02T12:00:00Z', atEachWake);
    assert.deepEqual(ticksOf(fall, 'newYorkEarly'), [
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    assert.deepEqual(
      fall.fired.filter((run) => run.job === 'partitioned').map((run) => `${run.tick} ${run.partition}`),
      [
        '2026-10-31T07:00:00.000Z 2026-10-30',
        '2026-11-01T08:00:00.000Z 2026-10-31',
        '2026-11-02T08:00:00.000Z 2026-11-01',
      ],
    );
  });
});
