import type { JobConfig } from '../config.ts';
import type { JobScheduleState, SchedulerState } from '../types.ts';
import { nextTick, partitionOfTick, recentTicks } from './ticks.ts';

/**
 * What the scheduler does at one moment, as a pure function of the configuration, what it remembered
 * and the time: which runs to queue, which ticks it passes over (and why), what to remember, and when
 * to look again. The serving loop calls it whenever it wakes (at nextWakeAt, or after downtime) and
 * persists `state`; calling it twice with the same input gives the same answer.
 */

export interface ScheduleInput {
  jobs: Record<string, JobConfig>;
  state: SchedulerState;
  now: Date;
  /** How late a tick may be dealt with and still count as on time (default 60 s). */
  graceMs?: number;
  /** The most ticks of one job considered at once (default 10,000); older ones are summarised. */
  tickLimit?: number;
}

export interface DueRun {
  job: string;
  /** ISO 8601 UTC. */
  tick: string;
  trigger: 'schedule' | 'catch_up';
  partition?: string;
}

export type PassReason = 'catch_up_none' | 'catch_up_latest' | 'before_partition_start' | 'too_many';

export interface PassedTick {
  job: string;
  /** The tick (for `too_many`: the first of the ticks summarised). */
  tick: string;
  reason: PassReason;
  partition?: string;
  /** `too_many` only: how many older ticks were passed without being looked at, and the last of them. */
  count?: number;
  countIsLowerBound?: boolean;
  through?: string;
}

export interface ScheduleDecision {
  /** Runs to queue, oldest tick first. */
  due: DueRun[];
  passed: PassedTick[];
  /** The state to persist: jobs no longer configured (or no longer scheduled) are dropped. */
  state: SchedulerState;
  /** The earliest next tick of an enabled scheduled job, strictly after now. */
  nextWakeAt?: Date;
}

export const DEFAULT_GRACE_MS = 60_000;
export const DEFAULT_TICK_LIMIT = 10_000;

function instant(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `now`, unless the remembered tick is later (a clock that went back must not fire a tick twice). */
function advancedTo(previous: Date | undefined, now: Date): string {
  return (previous && previous.getTime() > now.getTime() ? previous : now).toISOString();
}

export function decide(input: ScheduleInput): ScheduleDecision {
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const tickLimit = input.tickLimit ?? DEFAULT_TICK_LIMIT;
  const { now } = input;
  const due: DueRun[] = [];
  const passed: PassedTick[] = [];
  const jobs: Record<string, JobScheduleState> = {};
  let nextWakeAt: Date | undefined;

  for (const name of Object.keys(input.jobs).sort()) {
    const job = input.jobs[name]!;
    if (!job.schedule) continue;
    const previous = input.state.jobs[name];
    const lastTick = instant(previous?.lastTick);
    if (!job.enabled) {
      // Ticks of a disabled job are not missed, they are not wanted: re-enabling starts from then.
      jobs[name] = { ...previous, lastTick: advancedTo(lastTick, now) };
      continue;
    }
    const next = nextTick(job.schedule, now);
    if (next && (!nextWakeAt || next.getTime() < nextWakeAt.getTime())) nextWakeAt = next;
    if (!lastTick) {
      // First sight: the ticks before the job existed (or before the scheduler knew it) are not missed.
      jobs[name] = { ...previous, lastTick: advancedTo(undefined, now) };
      continue;
    }
    const outcome = decideJob(name, job, lastTick, now, graceMs, tickLimit);
    due.push(...outcome.due);
    passed.push(...outcome.passed);
    jobs[name] = { ...previous, lastTick: outcome.lastTick ?? previous?.lastTick };
  }

  due.sort((a, b) => a.tick.localeCompare(b.tick) || a.job.localeCompare(b.job));
  const decision: ScheduleDecision = { due, passed, state: { ...input.state, jobs } };
  if (nextWakeAt) decision.nextWakeAt = nextWakeAt;
  return decision;
}

/** What a catch-up policy does with a late tick (one not on time). */
function lateTickAction(policy: JobConfig['catch_up'], isLatest: boolean): 'fire' | PassReason {
  switch (policy) {
    case 'none':
      return 'catch_up_none';
    case 'latest':
      return isLatest ? 'fire' : 'catch_up_latest';
    case 'all':
      return 'fire';
    default: {
      const unknown: never = policy;
      throw new Error(`catch_up policy ${String(unknown)} is not handled by the scheduler`);
    }
  }
}

interface JobOutcome {
  due: DueRun[];
  passed: PassedTick[];
  lastTick?: string;
}

/**
 * One job's ticks in (lastTick, now]. On-time ticks (at most graceMs late) always run as `schedule`;
 * the catch-up policy decides about the late ones: `none` runs none, `latest` the most recent, `all`
 * each. Ticks whose partition precedes partitions.start never run.
 */
function decideJob(
  job: string,
  config: JobConfig,
  lastTick: Date,
  now: Date,
  graceMs: number,
  tickLimit: number,
): JobOutcome {
  const window = recentTicks(config.schedule!, lastTick, now, tickLimit);
  const outcome: JobOutcome = { due: [], passed: [] };
  if (window.older) {
    const { first, last, count, countIsLowerBound } = window.older;
    outcome.passed.push({
      job,
      tick: first.toISOString(),
      reason: 'too_many',
      count,
      ...(countIsLowerBound ? { countIsLowerBound } : {}),
      through: last.toISOString(),
    });
  }
  const candidates: Array<{ tick: string; onTime: boolean; partition?: string }> = [];
  for (const tick of window.ticks) {
    const iso = tick.toISOString();
    const onTime = now.getTime() - tick.getTime() <= graceMs;
    if (config.partitions) {
      const partition = partitionOfTick(tick, config.partitions);
      if (partition < config.partitions.start) {
        outcome.passed.push({ job, tick: iso, reason: 'before_partition_start', partition });
      } else {
        candidates.push({ tick: iso, onTime, partition });
      }
    } else {
      candidates.push({ tick: iso, onTime });
    }
  }

  const latest = candidates.at(-1);
  for (const candidate of candidates) {
    const fire = (trigger: DueRun['trigger']) =>
      outcome.due.push({
        job,
        tick: candidate.tick,
        trigger,
        ...(candidate.partition === undefined ? {} : { partition: candidate.partition }),
      });
    const pass = (reason: PassReason) =>
      outcome.passed.push({
        job,
        tick: candidate.tick,
        reason,
        ...(candidate.partition === undefined ? {} : { partition: candidate.partition }),
      });
    if (candidate.onTime) {
      fire('schedule');
      continue;
    }
    const action = lateTickAction(config.catch_up, candidate === latest);
    if (action === 'fire') fire('catch_up');
    else pass(action);
  }

  const newest = window.ticks.at(-1);
  if (newest) outcome.lastTick = newest.toISOString();
  return outcome;
}
