import { Cron } from 'croner';
import type { PartitionsConfig, ScheduleConfig } from '../config.ts';
import { localDate } from './zone.ts';

export { localTime } from './zone.ts';

/**
 * The instants a job's cron names ("ticks"), in the job's time zone. croner does the calendar work,
 * DST included: a daily time that does not exist (02:30 on spring-forward day in Europe/Berlin) runs
 * once at the first time after the gap (03:00), a daily time that happens twice runs once, at the
 * first; hourly patterns follow the UTC hours (23 or 25 ticks on those days).
 */

const crons = new Map<string, Cron>();

/** One paused Cron per (pattern, zone): parsing is the costly part and these are asked every minute. */
function cronOf(schedule: ScheduleConfig): Cron {
  const key = `${schedule.cron}\0${schedule.timezone}`;
  let cron = crons.get(key);
  if (!cron) {
    cron = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
    crons.set(key, cron);
  }
  return cron;
}

/** The first tick strictly after `after`, or undefined when the pattern never matches again. */
export function nextTick(schedule: ScheduleConfig, after: Date): Date | undefined {
  return cronOf(schedule).nextRun(after) ?? undefined;
}

/** Ticks t with after < t <= upTo, oldest first, at most `limit` of them (the oldest). */
export function ticksBetween(schedule: ScheduleConfig, after: Date, upTo: Date, limit = 10_000): Date[] {
  const ticks: Date[] = [];
  let cursor = after;
  while (ticks.length < limit) {
    const tick = nextTick(schedule, cursor);
    if (!tick || tick.getTime() > upTo.getTime()) break;
    ticks.push(tick);
    cursor = tick;
  }
  return ticks;
}

/**
 * The latest tick t <= at. croner searches backwards field by field (no minute-by-minute walk); the
 * answer is then checked against the forward search, which is the one the scheduler fires by, and
 * corrected by a short forward walk if the two ever disagree.
 */
export function latestTickAtOrBefore(schedule: ScheduleConfig, at: Date): Date | undefined {
  const cron = cronOf(schedule);
  // previousRuns is strict but counts a run earlier in the same second; look from the next second.
  const reference = new Date(Math.floor(at.getTime() / 1000) * 1000 + 1000);
  let candidate = cron.previousRuns(2, reference).find((tick) => tick.getTime() <= at.getTime());
  if (!candidate) return undefined;
  for (let step = 0; step < 1000; step++) {
    const next = nextTick(schedule, candidate);
    if (!next || next.getTime() > at.getTime()) return candidate;
    candidate = next;
  }
  return candidate;
}

export interface RecentTicks {
  /** The most recent ticks in (after, upTo], oldest first, at most `limit`. */
  ticks: Date[];
  /** Older ticks in the window that did not fit, when there were some. */
  older?: { first: Date; last: Date; count: number; countIsLowerBound: boolean };
}

/** How far `recentTicks` walks to count the older ticks exactly before it says "at least". */
const COUNT_WALK_LIMIT = 200_000;

/**
 * The ticks of (after, upTo] for catch-up: all of them when there are at most `limit`, else the most
 * recent `limit` and a summary of the older ones (a per-minute job down for a month has 43,200).
 */
export function recentTicks(schedule: ScheduleConfig, after: Date, upTo: Date, limit = 10_000): RecentTicks {
  const forward = ticksBetween(schedule, after, upTo, limit + 1);
  if (forward.length <= limit) return { ticks: forward };
  const cron = cronOf(schedule);
  const reference = new Date(Math.floor(upTo.getTime() / 1000) * 1000 + 1000);
  const recent = cron
    .previousRuns(limit + 1, reference)
    .filter((tick) => tick.getTime() <= upTo.getTime() && tick.getTime() > after.getTime())
    .slice(0, limit)
    .reverse();
  const oldestKept = recent[0]!;
  const first = forward[0]!;
  let count = 0;
  let last = first;
  let cursor: Date | undefined = first;
  while (cursor && cursor.getTime() < oldestKept.getTime() && count < COUNT_WALK_LIMIT) {
    count++;
    last = cursor;
    cursor = nextTick(schedule, cursor);
  }
  const countIsLowerBound = count >= COUNT_WALK_LIMIT && !!cursor && cursor.getTime() < oldestKept.getTime();
  if (countIsLowerBound) last = cron.previousRuns(1, oldestKept)[0] ?? last;
  return { ticks: recent, older: { first, last, count, countIsLowerBound } };
}

/** The day a tick runs for: the day before the tick's local date in the partitions' calendar. */
export function partitionOfTick(tick: Date, partitions: PartitionsConfig): string {
  const [year, month, day] = localDate(tick, partitions.timezone).split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day! - 1)).toISOString().slice(0, 10);
}
