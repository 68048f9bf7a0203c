import type { DayRange } from './types.ts';

/**
 * Sets of days as sorted, disjoint, non-adjacent inclusive ranges of `YYYY-MM-DD` (UTC calendar
 * days, no time zone involved: a partition is a label). Pure; store/partitions.ts keeps them on disk.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Days since 1970-01-01 (the day must be valid: check with isDay). */
export function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY;
}

export function dayFromNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(day: string, delta: number): string {
  return dayFromNumber(dayNumber(day) + delta);
}

/** Any ranges (unsorted, overlapping, touching) → sorted, merged, none adjacent to the next. */
export function normalize(ranges: readonly DayRange[]): DayRange[] {
  const sorted = ranges
    .map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const)))
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: Array<[string, string]> = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && dayNumber(from) <= dayNumber(last[1]) + 1) {
      if (to > last[1]) last[1] = to;
    } else out.push([from, to]);
  }
  return out;
}

/** `ranges` (normalized) with `day` added: extends or joins neighbours instead of adding an entry. */
export function withDay(ranges: readonly DayRange[], day: string): DayRange[] {
  return normalize([...ranges, [day, day]]);
}

export function contains(ranges: readonly DayRange[], day: string): boolean {
  // Binary search: ranges are sorted and disjoint.
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = ranges[mid] as DayRange;
    if (day < from) hi = mid - 1;
    else if (day > to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Days of [from, to] (inclusive) in none of `ranges` (normalized), in order. */
export function missingDays(ranges: readonly DayRange[], from: string, to: string): string[] {
  const out: string[] = [];
  const end = dayNumber(to);
  let day = dayNumber(from);
  let i = 0;
  while (day <= end) {
    while (i < ranges.length && dayNumber((ranges[i] as DayRange)[1]) < day) i++;
    const range = ranges[i];
    if (range && dayNumber(range[0]) <= day) {
      day = dayNumber(range[1]) + 1;
      continue;
    }
    const stop = Math.min(end, range ? dayNumber(range[0]) - 1 : end);
    for (; day <= stop; day++) out.push(dayFromNumber(day));
  }
  return out;
}

/** True when `ranges` is what normalize gives: sorted, disjoint, not adjacent, each from ≤ to. */
export function isNormalized(ranges: readonly DayRange[]): boolean {
  return ranges.every(
    ([from, to], i) =>
      from <= to && (i === 0 || dayNumber(from) > dayNumber((ranges[i - 1] as DayRange)[1]) + 1),
  );
}
