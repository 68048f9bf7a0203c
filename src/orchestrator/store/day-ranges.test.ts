import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  contains,
  dayFromNumber,
  dayNumber,
  isDay,
  isNormalized,
  missingDays,
  normalize,
  withDay,
} from './day-ranges.ts';
import type { DayRange } from './types.ts';

const START = dayNumber('2024-12-25');
/** Days within about four months, so that random sets have runs, gaps and neighbours. */
const day = fc.integer({ min: 0, max: 120 }).map((n) => dayFromNumber(START + n));

function daysOf(ranges: readonly DayRange[]): string[] {
  return ranges.flatMap(([from, to]) => {
    const out: string[] = [];
    for (let n = dayNumber(from); n <= dayNumber(to); n++) out.push(dayFromNumber(n));
    return out;
  });
}

test('marking random days in random order gives exactly the distinct days, always normalized', () => {
  fc.assert(
    fc.property(fc.array(day, { maxLength: 200 }), (days) => {
      let ranges: DayRange[] = [];
      for (const d of days) {
        ranges = withDay(ranges, d);
        assert.ok(isNormalized(ranges), JSON.stringify(ranges));
      }
      assert.deepEqual(daysOf(ranges), [...new Set(days)].sort());
    }),
  );
});

test('normalize merges any ranges into sorted, disjoint, non-adjacent ones covering the same days', () => {
  const range = fc.tuple(day, day).map(([a, b]) => [a, b] as DayRange);
  fc.assert(
    fc.property(fc.array(range, { maxLength: 20 }), (ranges) => {
      const merged = normalize(ranges);
      assert.ok(isNormalized(merged));
      const expected = new Set(daysOf(ranges.map(([a, b]) => (a <= b ? [a, b] : [b, a]))));
      assert.deepEqual(daysOf(merged), [...expected].sort());
      for (const d of expected) assert.ok(contains(merged, d));
    }),
  );
});

test('missing days are exactly the days of [from, to] not done, in order', () => {
  fc.assert(
    fc.property(fc.array(day, { maxLength: 80 }), day, day, (done, a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      const ranges = done.reduce<DayRange[]>((r, d) => withDay(r, d), []);
      const expected: string[] = [];
      for (let n = dayNumber(from); n <= dayNumber(to); n++)
        if (!done.includes(dayFromNumber(n))) expected.push(dayFromNumber(n));
      assert.deepEqual(missingDays(ranges, from, to), expected);
    }),
  );
});

test('10,000 days done in a row are one range; adjacent ranges join across months and leap days', () => {
  let ranges: DayRange[] = [];
  for (let i = 0; i < 10_000; i++) ranges = withDay(ranges, addDays('2000-01-01', i));
  assert.deepEqual(ranges, [['2000-01-01', addDays('2000-01-01', 9_999)]]);
  assert.deepEqual(
    normalize([
      ['2024-03-01', '2024-03-31'],
      ['2024-02-01', '2024-02-29'],
    ]),
    [['2024-02-01', '2024-03-31']],
  );
  assert.deepEqual(missingDays([['2024-02-28', '2024-02-28']], '2024-02-27', '2024-03-01'), [
    '2024-02-27',
    '2024-02-29',
    '2024-03-01',
  ]);
});

test('isDay accepts calendar dates only', () => {
  for (const good of ['2024-02-29', '2025-12-31', '1970-01-01']) assert.ok(isDay(good), good);
  for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-01-01T00:00:00Z', '../x'])
    assert.equal(isDay(bad), false, bad);
});
