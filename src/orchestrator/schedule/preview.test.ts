import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type JobConfig, jobSchema } from '../config.ts';
import { dstNotes, nominalTime } from './dst-notes.ts';
import { formatPreview, type PreviewEntry, previewSchedule } from './preview.ts';

const at = (iso: string) => new Date(iso);
const job = (fields: Record<string, unknown>): JobConfig => jobSchema.parse({ steps: ['build'], ...fields });
const scheduled = (cron: string, timezone: string, extra: Record<string, unknown> = {}) =>
  job({ schedule: { cron, timezone }, ...extra });
const noted = (entries: PreviewEntry[]) =>
  entries
    .filter((entry) => entry.notes.length > 0)
    .map((entry) => `${entry.job} ${entry.local}: ${entry.notes.join('; ')}`);

describe('DST notes', () => {
  test('Europe/Berlin 02:30 on the spring-forward and fall-back days', () => {
    const entries = previewSchedule({
      jobs: { early: scheduled('30 2 * * *', 'Europe/Berlin') },
      state: { jobs: {} },
      now: at('2026-03-27T12:00:00Z'),
      days: 4,
    });
    assert.deepEqual(
      entries.map((entry) => entry.local),
      ['2026-03-28 02:30 CET', '2026-03-29 03:00 CEST', '2026-03-30 02:30 CEST', '2026-03-31 02:30 CEST'],
    );
    assert.deepEqual(noted(entries), [
      'early 2026-03-29 03:00 CEST: 02:30 does not exist on 2026-03-29 in Europe/Berlin (clocks jump 02:00→03:00): runs once at 03:00',
    ]);
    const fall = previewSchedule({
      jobs: { early: scheduled('30 2 * * *', 'Europe/Berlin') },
      state: { jobs: {} },
      now: at('2026-10-23T12:00:00Z'),
      days: 4,
    });
    assert.deepEqual(noted(fall), [
      'early 2026-10-25 02:30 CEST: 02:30 happens twice on 2026-10-25 in Europe/Berlin: runs once, at the first (CEST)',
    ]);
  });

  test('America/New_York: 02:30 in the gap, 01:30 in the repeated hour', () => {
    const spring = previewSchedule({
      jobs: { early: scheduled('30 2 * * *', 'America/New_York') },
      state: { jobs: {} },
      now: at('2026-03-06T12:00:00Z'),
      days: 4,
    });
    assert.deepEqual(noted(spring), [
      'early 2026-03-08 03:00 EDT: 02:30 does not exist on 2026-03-08 in America/New_York (clocks jump 02:00→03:00): runs once at 03:00',
    ]);
    const fall = previewSchedule({
      jobs: { late: scheduled('30 1 * * *', 'America/New_York') },
      state: { jobs: {} },
      now: at('2026-10-30T12:00:00Z'),
      days: 4,
    });
    assert.deepEqual(noted(fall), [
      'late 2026-11-01 01:30 EDT: 01:30 happens twice on 2026-11-01 in America/New_York: runs once, at the first (EDT)',
    ]);
  });

  test('hourly jobs: one note on the first tick after the change, saying the day has 23 or 25 hours', () => {
    const spring = previewSchedule({
      jobs: { hourly: scheduled('0 * * * *', 'Europe/Berlin') },
      state: { jobs: {} },
      now: at('2026-03-28T12:00:00Z'),
      days: 2,
    });
    assert.deepEqual(noted(spring), [
      'hourly 2026-03-29 03:00 CEST: 2026-03-29 has 23 hours in Europe/Berlin (clocks jump 02:00→03:00)',
    ]);
    const fall = previewSchedule({
      jobs: { hourly: scheduled('15 */2 * * *', 'America/New_York') },
      state: { jobs: {} },
      now: at('2026-10-31T12:00:00Z'),
      days: 2,
    });
    assert.deepEqual(noted(fall), [
      'hourly 2026-11-01 02:15 EST: 2026-11-01 has 25 hours in America/New_York (clocks go back 02:00→01:00)',
    ]);
  });

  test('a daily time away from the change, and a zone without DST, get no note', () => {
    for (const [cron, timezone] of [
      ['0 6 * * *', 'Europe/Berlin'],
      ['30 2 * * *', 'Africa/Johannesburg'],
      ['30 2 * * *', 'UTC'],
    ] as const) {
      const entries = previewSchedule({
        jobs: { daily: scheduled(cron, timezone) },
        state: { jobs: {} },
        now: at('2026-03-27T12:00:00Z'),
        days: 4,
      });
      assert.equal(entries.length, 4);
      assert.deepEqual(noted(entries), [], `${cron} ${timezone}`);
    }
  });

  test('nominalTime reads single-value minute and hour fields only', () => {
    assert.deepEqual(nominalTime('30 2 * * *'), { hour: 2, minute: 30, second: 0 });
    assert.deepEqual(nominalTime('15 30 2 * * *'), { hour: 2, minute: 30, second: 15 });
    assert.deepEqual(nominalTime('@daily'), { hour: 0, minute: 0, second: 0 });
    assert.equal(nominalTime('*/15 2 * * *'), undefined);
    assert.equal(nominalTime('0 1,2 * * *'), undefined);
    assert.equal(nominalTime('@hourly'), undefined);
  });

  test('dstNotes on a tick outside the change day is empty', () => {
    assert.deepEqual(
      dstNotes(at('2026-03-28T01:30:00Z'), { cron: '30 2 * * *', timezone: 'Europe/Berlin' }),
      [],
    );
  });
});

describe('catch-up and passed ticks', () => {
  const state = { jobs: { nightly: { lastTick: '2026-03-01T05:00:00.000Z' } } };
  const now = at('2026-03-04T07:00:00Z');

  test('latest: the catch-up run comes first, starting now, with the passed ticks summarised', () => {
    const entries = previewSchedule({
      jobs: { nightly: scheduled('0 6 * * *', 'Europe/Berlin') },
      state,
      now,
      days: 2,
    });
    assert.deepEqual(
      entries.map((entry) => `${entry.tick} ${entry.trigger}`),
      [
        '2026-03-04T05:00:00.000Z catch_up',
        '2026-03-05T05:00:00.000Z schedule',
        '2026-03-06T05:00:00.000Z schedule',
      ],
    );
    assert.deepEqual(entries[0]?.notes, [
      'catch-up: starts now',
      '2 missed ticks passed over (catch_up: latest): 2026-03-02 06:00 CET … 2026-03-03 06:00 CET',
    ]);
    assert.deepEqual(entries[1]?.notes, []);
  });

  test('all: every missed tick is a catch-up run', () => {
    const entries = previewSchedule({
      jobs: { nightly: scheduled('0 6 * * *', 'Europe/Berlin', { catch_up: 'all' }) },
      state,
      now,
      days: 1,
    });
    assert.deepEqual(
      entries.map((entry) => entry.trigger),
      ['catch_up', 'catch_up', 'catch_up', 'schedule'],
    );
  });

  test('none: no run starts now; the passed ticks are noted on the next tick', () => {
    const entries = previewSchedule({
      jobs: { nightly: scheduled('0 6 * * *', 'Europe/Berlin', { catch_up: 'none' }) },
      state,
      now,
      days: 1,
    });
    assert.deepEqual(
      entries.map((entry) => `${entry.tick} ${entry.trigger}`),
      ['2026-03-05T05:00:00.000Z schedule'],
    );
    assert.deepEqual(entries[0]?.notes, [
      '3 missed ticks passed over (catch_up: none): 2026-03-02 06:00 CET … 2026-03-04 06:00 CET',
    ]);
  });

  test('partitions: shown per tick, with a note when before partitions.start', () => {
    const entries = previewSchedule({
      jobs: {
        daily: scheduled('0 6 * * *', 'America/New_York', {
          // 06:00 EST is 01:00 the next day at UTC+14: the partition is the New York date itself.
          partitions: { by: 'day', start: '2026-03-05', timezone: 'Pacific/Kiritimati' },
        }),
      },
      state: { jobs: {} },
      now,
      days: 2,
    });
    assert.deepEqual(
      entries.map((entry) => `${entry.local} ${entry.partition}`),
      ['2026-03-04 06:00 EST 2026-03-04', '2026-03-05 06:00 EST 2026-03-05'],
    );
    assert.deepEqual(entries[0]?.notes, [
      'partition 2026-03-04 is before partitions.start 2026-03-05: passed over, not run',
    ]);
  });

  test('disabled and unscheduled jobs are not previewed; entries are ordered by tick', () => {
    const entries = previewSchedule({
      jobs: {
        zeta: scheduled('0 6 * * *', 'UTC'),
        alpha: scheduled('0 5 * * *', 'UTC'),
        off: scheduled('0 4 * * *', 'UTC', { enabled: false }),
        manual: job({}),
      },
      state: { jobs: {} },
      now,
      days: 1,
    });
    assert.deepEqual(
      entries.map((entry) => `${entry.job} ${entry.tick}`),
      ['alpha 2026-03-05T05:00:00.000Z', 'zeta 2026-03-05T06:00:00.000Z'],
    );
  });

  test('limitPerJob truncates with a note', () => {
    const entries = previewSchedule({
      jobs: { minutely: job({ schedule: '* * * * *' }) },
      state: { jobs: {} },
      now,
      days: 1,
      limitPerJob: 3,
    });
    assert.equal(entries.length, 3);
    assert.deepEqual(entries[2]?.notes, ['more ticks follow within 1 days (showing the first 3)']);
  });
});

describe('formatPreview', () => {
  test('a table with job, local time, UTC, partition, trigger and notes', () => {
    const text = formatPreview(
      previewSchedule({
        jobs: {
          early: scheduled('30 2 * * *', 'Europe/Berlin', {
            partitions: { by: 'day', start: '2026-01-01', timezone: 'Europe/Berlin' },
          }),
        },
        state: { jobs: {} },
        now: at('2026-03-28T12:00:00Z'),
        days: 1,
      }),
    );
    const lines = text.split('\n');
    assert.match(lines[0]!, /^JOB\s+LOCAL TIME\s+UTC\s+PARTITION\s+TRIGGER\s+NOTES$/);
    assert.match(lines[1]!, /^-+\s+-+/);
    assert.match(
      lines[2]!,
      /^early\s+2026-03-29 03:00 CEST\s+2026-03-29T01:00:00Z\s+2026-03-28\s+schedule\s+02:30 does not exist on 2026-03-29/,
    );
    assert.equal(lines.length, 3);
  });

  test('no entries: a sentence, not an empty table', () => {
    assert.match(formatPreview([]), /No scheduled runs/);
  });
});
