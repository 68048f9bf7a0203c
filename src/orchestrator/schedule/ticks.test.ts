import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ScheduleConfig } from '../config.ts';
import {
  latestTickAtOrBefore,
  localTime,
  nextTick,
  partitionOfTick,
  recentTicks,
  ticksBetween,
} from './ticks.ts';
import { localDate, offsetTransitionNear, utcOffsetMinutes, zoneLabel } from './zone.ts';

const at = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map((date) => date.toISOString());
const berlin = (cron: string): ScheduleConfig => ({ cron, timezone: 'Europe/Berlin' });
const newYork = (cron: string): ScheduleConfig => ({ cron, timezone: 'America/New_York' });

/** Every tick within the local calendar day `day`, found from the day's UTC bounds. */
function ticksOnLocalDay(schedule: ScheduleConfig, from: string, to: string): Date[] {
  return ticksBetween(schedule, new Date(at(from).getTime() - 1), new Date(at(to).getTime() - 1));
}

describe('daily ticks across DST (Europe/Berlin: 2026-03-29 spring forward, 2026-10-25 fall back)', () => {
  test('02:30 runs at 03:00 CEST on the day 02:30 does not exist', () => {
    const ticks = ticksBetween(berlin('30 2 * * *'), at('2026-03-27T00:00:00Z'), at('2026-03-31T12:00:00Z'));
    assert.deepEqual(isos(ticks), [
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
    assert.equal(localTime(ticks[2]!, 'Europe/Berlin'), '2026-03-29 03:00 CEST');
  });

  test('02:30 runs once, at the first (CEST), on the day 02:30 happens twice', () => {
    const ticks = ticksBetween(berlin('30 2 * * *'), at('2026-10-23T00:00:00Z'), at('2026-10-26T12:00:00Z'));
    assert.deepEqual(isos(ticks), [
      '2026-10-23T00:30:00.000Z',
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    assert.equal(localTime(ticks[2]!, 'Europe/Berlin'), '2026-10-25 02:30 CEST');
  });

  test('02:00 (the first minute of the gap and of the repeated hour) runs once each day', () => {
    const spring = ticksBetween(berlin('0 2 * * *'), at('2026-03-28T00:00:00Z'), at('2026-03-30T12:00:00Z'));
    assert.deepEqual(isos(spring), [
      '2026-03-28T01:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ]);
    const fall = ticksBetween(berlin('0 2 * * *'), at('2026-10-23T12:00:00Z'), at('2026-10-26T12:00:00Z'));
    assert.deepEqual(isos(fall), [
      '2026-10-24T00:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-26T01:00:00.000Z',
    ]);
  });

  test('06:00 keeps its wall time: the UTC instant moves by an hour', () => {
    const ticks = ticksBetween(berlin('0 6 * * *'), at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'));
    assert.deepEqual(isos(ticks), ['2026-03-28T05:00:00.000Z', '2026-03-29T04:00:00.000Z']);
  });

  test('a daily job ticks exactly once on every local day of both DST months', () => {
    for (const [schedule, from, to] of [
      [berlin('30 2 * * *'), '2026-03-01T00:00:00Z', '2026-04-30T00:00:00Z'],
      [berlin('30 2 * * *'), '2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z'],
      [berlin('59 23 * * *'), '2026-03-01T00:00:00Z', '2026-11-30T00:00:00Z'],
      [newYork('30 2 * * *'), '2026-03-01T00:00:00Z', '2026-04-30T00:00:00Z'],
      [newYork('30 1 * * *'), '2026-10-15T00:00:00Z', '2026-11-30T00:00:00Z'],
      [newYork('0 0 * * *'), '2026-03-01T00:00:00Z', '2026-11-30T00:00:00Z'],
    ] as const) {
      const ticks = ticksBetween(schedule, at(from), at(to));
      const days = ticks.map((tick) => localDate(tick, schedule.timezone));
      assert.equal(
        new Set(days).size,
        days.length,
        `${schedule.cron} ${schedule.timezone}: a day ticked twice`,
      );
      const spanDays = Math.round((at(to).getTime() - at(from).getTime()) / 86_400_000);
      assert.ok(
        Math.abs(days.length - spanDays) <= 1,
        `${schedule.cron}: ${days.length} ticks in ${spanDays} days`,
      );
    }
  });
});

describe('daily ticks across DST (America/New_York: 2026-03-08 spring forward, 2026-11-01 fall back)', () => {
  test('02:30 does not exist on 2026-03-08: runs at 03:00 EDT', () => {
    const ticks = ticksBetween(newYork('30 2 * * *'), at('2026-03-07T00:00:00Z'), at('2026-03-09T12:00:00Z'));
    assert.deepEqual(isos(ticks), [
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
    assert.equal(localTime(ticks[1]!, 'America/New_York'), '2026-03-08 03:00 EDT');
  });

  test('01:30 happens twice on 2026-11-01: runs once, at the first (EDT)', () => {
    const ticks = ticksBetween(newYork('30 1 * * *'), at('2026-10-31T00:00:00Z'), at('2026-11-02T12:00:00Z'));
    assert.deepEqual(isos(ticks), [
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    assert.equal(localTime(ticks[1]!, 'America/New_York'), '2026-11-01 01:30 EDT');
  });

  test('02:30 on the fall-back day exists once (EST)', () => {
    const ticks = ticksBetween(newYork('30 2 * * *'), at('2026-10-31T12:00:00Z'), at('2026-11-02T00:00:00Z'));
    assert.deepEqual(isos(ticks), ['2026-11-01T07:30:00.000Z']);
  });
});

describe('hourly ticks on DST days follow UTC hours: 23 or 25 in the local day', () => {
  const hourly = (from: string, count: number) =>
    Array.from({ length: count }, (_, i) => new Date(at(from).getTime() + i * 3_600_000).toISOString());

  test('Europe/Berlin 2026-03-29 has 23 hourly ticks, 2026-10-25 has 25', () => {
    const spring = ticksOnLocalDay(berlin('0 * * * *'), '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z');
    assert.deepEqual(isos(spring), hourly('2026-03-28T23:00:00Z', 23));
    assert.deepEqual(
      spring.slice(0, 3).map((tick) => localTime(tick, 'Europe/Berlin')),
      ['2026-03-29 00:00 CET', '2026-03-29 01:00 CET', '2026-03-29 03:00 CEST'],
    );
    const fall = ticksOnLocalDay(berlin('0 * * * *'), '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z');
    assert.deepEqual(isos(fall), hourly('2026-10-24T22:00:00Z', 25));
    assert.deepEqual(
      fall.slice(2, 5).map((tick) => localTime(tick, 'Europe/Berlin')),
      ['2026-10-25 02:00 CEST', '2026-10-25 02:00 CET', '2026-10-25 03:00 CET'],
    );
  });

  test('America/New_York 2026-03-08 has 23 hourly ticks, 2026-11-01 has 25 (at minute 30 too)', () => {
    const spring = ticksOnLocalDay(newYork('0 * * * *'), '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z');
    assert.deepEqual(isos(spring), hourly('2026-03-08T05:00:00Z', 23));
    const fall = ticksOnLocalDay(newYork('30 * * * *'), '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z');
    assert.deepEqual(isos(fall), hourly('2026-11-01T04:30:00Z', 25));
    assert.deepEqual(
      fall.slice(1, 3).map((tick) => localTime(tick, 'America/New_York')),
      ['2026-11-01 01:30 EDT', '2026-11-01 01:30 EST'],
    );
  });
});

describe('ticksBetween, nextTick', () => {
  test('the window is (after, upTo]: a tick at `after` is excluded, one at `upTo` included', () => {
    const schedule: ScheduleConfig = { cron: '0 * * * *', timezone: 'UTC' };
    assert.deepEqual(isos(ticksBetween(schedule, at('2026-01-01T00:00:00Z'), at('2026-01-01T02:00:00Z'))), [
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
    ]);
    assert.deepEqual(ticksBetween(schedule, at('2026-01-01T02:00:00Z'), at('2026-01-01T02:00:00Z')), []);
    assert.equal(
      nextTick(schedule, at('2026-01-01T00:59:59.999Z'))?.toISOString(),
      '2026-01-01T01:00:00.000Z',
    );
    assert.equal(nextTick(schedule, at('2026-01-01T01:00:00Z'))?.toISOString(), '2026-01-01T02:00:00.000Z');
  });

  test('limit keeps the oldest ticks', () => {
    const schedule: ScheduleConfig = { cron: '* * * * *', timezone: 'UTC' };
    const ticks = ticksBetween(schedule, at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 3);
    assert.deepEqual(isos(ticks), [
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:02:00.000Z',
      '2026-01-01T00:03:00.000Z',
    ]);
  });

  test('a cron that never matches has no next tick', () => {
    assert.equal(nextTick({ cron: '0 0 30 2 *', timezone: 'UTC' }, at('2026-01-01T00:00:00Z')), undefined);
    assert.equal(
      latestTickAtOrBefore({ cron: '0 0 30 2 *', timezone: 'UTC' }, at('2026-01-01T00:00:00Z')),
      undefined,
    );
  });
});

describe('latestTickAtOrBefore', () => {
  test('a tick exactly at `at` is the answer; a millisecond earlier gives the one before', () => {
    const schedule = berlin('30 2 * * *');
    assert.equal(
      latestTickAtOrBefore(schedule, at('2026-03-30T00:30:00Z'))?.toISOString(),
      '2026-03-30T00:30:00.000Z',
    );
    assert.equal(
      latestTickAtOrBefore(schedule, at('2026-03-30T00:29:59.999Z'))?.toISOString(),
      '2026-03-29T01:00:00.000Z',
    );
    assert.equal(
      latestTickAtOrBefore(schedule, at('2026-03-30T00:30:00.500Z'))?.toISOString(),
      '2026-03-30T00:30:00.000Z',
    );
  });

  test('a yearly leap-day cron is found without a walk (one tick in four years)', () => {
    const schedule: ScheduleConfig = { cron: '0 0 29 2 *', timezone: 'Europe/Berlin' };
    assert.equal(
      latestTickAtOrBefore(schedule, at('2027-06-01T00:00:00Z'))?.toISOString(),
      '2024-02-28T23:00:00.000Z',
    );
  });

  test('agrees with the forward search at many instants around DST changes', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const schedules = [
      berlin('30 2 * * *'),
      berlin('0 * * * *'),
      berlin('*/15 2 * * *'),
      newYork('30 1 * * *'),
      newYork('45 * * * *'),
      { cron: '0 9 * * 1-5', timezone: 'Asia/Kolkata' },
    ];
    for (const [from, to] of [
      ['2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'],
      ['2026-10-23T00:00:00Z', '2026-11-03T00:00:00Z'],
    ] as const) {
      const start = at(from).getTime();
      const span = at(to).getTime() - start;
      for (const schedule of schedules) {
        for (let i = 0; i < 40; i++) {
          const instant = new Date(start + Math.floor(random() * span));
          const latest = latestTickAtOrBefore(schedule, instant);
          assert.ok(latest, `${schedule.cron} has a tick before ${instant.toISOString()}`);
          assert.ok(latest.getTime() <= instant.getTime());
          const next = nextTick(schedule, latest);
          assert.ok(
            !next || next.getTime() > instant.getTime(),
            `${schedule.cron} at ${instant.toISOString()}`,
          );
          assert.equal(nextTick(schedule, new Date(latest.getTime() - 1000))?.getTime(), latest.getTime());
        }
      }
    }
  });
});

describe('recentTicks (catch-up windows larger than the limit)', () => {
  test('keeps the most recent `limit` ticks and counts the older ones exactly', () => {
    const schedule: ScheduleConfig = { cron: '* * * * *', timezone: 'UTC' };
    const window = recentTicks(schedule, at('2026-01-01T00:00:00Z'), at('2026-01-01T01:00:00Z'), 5);
    assert.deepEqual(isos(window.ticks), [
      '2026-01-01T00:56:00.000Z',
      '2026-01-01T00:57:00.000Z',
      '2026-01-01T00:58:00.000Z',
      '2026-01-01T00:59:00.000Z',
      '2026-01-01T01:00:00.000Z',
    ]);
    assert.deepEqual(window.older, {
      first: at('2026-01-01T00:01:00Z'),
      last: at('2026-01-01T00:55:00Z'),
      count: 55,
      countIsLowerBound: false,
    });
  });

  test('within the limit: every tick, no summary', () => {
    const window = recentTicks(
      berlin('30 2 * * *'),
      at('2026-03-27T00:00:00Z'),
      at('2026-03-31T00:00:00Z'),
      5,
    );
    assert.equal(window.ticks.length, 4);
    assert.equal(window.older, undefined);
  });
});

describe('partitionOfTick: the day before the tick in the partitions calendar', () => {
  const tick = at('2026-04-01T23:30:00Z');
  for (const [timezone, partition] of [
    ['UTC', '2026-03-31'],
    ['Europe/Berlin', '2026-04-01'],
    ['Asia/Tokyo', '2026-04-01'],
    ['America/Los_Angeles', '2026-03-31'],
    ['Pacific/Kiritimati', '2026-04-01'],
  ] as const) {
    test(`${timezone} → ${partition}`, () => {
      assert.equal(partitionOfTick(tick, { by: 'day', start: '2020-01-01', timezone }), partition);
    });
  }

  test('across a month and a year boundary', () => {
    assert.equal(
      partitionOfTick(at('2026-03-01T05:00:00Z'), { by: 'day', start: '2020-01-01', timezone: 'UTC' }),
      '2026-02-28',
    );
    assert.equal(
      partitionOfTick(at('2028-03-01T05:00:00Z'), { by: 'day', start: '2020-01-01', timezone: 'UTC' }),
      '2028-02-29',
    );
    assert.equal(
      partitionOfTick(at('2027-01-01T05:00:00Z'), {
        by: 'day',
        start: '2020-01-01',
        timezone: 'Europe/Berlin',
      }),
      '2026-12-31',
    );
  });
});

describe('zone helpers', () => {
  test('localTime labels: abbreviations where real, else the offset', () => {
    assert.equal(localTime(at('2026-03-29T01:00:00Z'), 'Europe/Berlin'), '2026-03-29 03:00 CEST');
    assert.equal(localTime(at('2026-01-15T12:00:00Z'), 'Europe/Berlin'), '2026-01-15 13:00 CET');
    assert.equal(localTime(at('2026-07-01T12:00:00Z'), 'America/New_York'), '2026-07-01 08:00 EDT');
    assert.equal(localTime(at('2026-07-01T12:00:00Z'), 'UTC'), '2026-07-01 12:00 UTC');
    assert.equal(localTime(at('2026-07-01T12:00:00Z'), 'Africa/Johannesburg'), '2026-07-01 14:00 +02:00');
    assert.equal(localTime(at('2026-07-01T12:00:00Z'), 'Asia/Kolkata'), '2026-07-01 17:30 +05:30');
    assert.equal(localTime(at('2026-07-01T12:00:05Z'), 'UTC'), '2026-07-01 12:00:05 UTC');
    assert.equal(zoneLabel(at('2026-01-15T12:00:00Z'), 'Europe/London'), 'GMT');
    assert.equal(zoneLabel(at('2026-07-15T12:00:00Z'), 'Europe/London'), 'BST');
  });

  test('offsets and the transition instant', () => {
    assert.equal(utcOffsetMinutes(at('2026-03-29T00:59:00Z'), 'Europe/Berlin'), 60);
    assert.equal(utcOffsetMinutes(at('2026-03-29T01:00:00Z'), 'Europe/Berlin'), 120);
    assert.deepEqual(offsetTransitionNear(at('2026-03-29T12:00:00Z'), 'Europe/Berlin'), {
      at: at('2026-03-29T01:00:00Z'),
      before: 60,
      after: 120,
    });
    assert.deepEqual(offsetTransitionNear(at('2026-11-01T12:00:00Z'), 'America/New_York'), {
      at: at('2026-11-01T06:00:00Z'),
      before: -240,
      after: -300,
    });
    assert.equal(offsetTransitionNear(at('2026-06-01T12:00:00Z'), 'Europe/Berlin'), undefined);
    assert.equal(offsetTransitionNear(at('2026-03-29T12:00:00Z'), 'UTC'), undefined);
  });
});
