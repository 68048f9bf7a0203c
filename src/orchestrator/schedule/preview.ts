import type { JobConfig } from '../config.ts';
import type { SchedulerState } from '../types.ts';
import { DEFAULT_TICK_LIMIT, decide, type PassedTick } from './decide.ts';
import { dstNotes } from './dst-notes.ts';
import { partitionOfTick, ticksBetween } from './ticks.ts';
import { localTime } from './zone.ts';

/**
 * `vaultline schedule preview`: what the scheduler will do, from now on. First the runs it would start
 * right away (catch-up after downtime, from the same decide() the server uses), then every tick of the
 * next `days`, with notes where DST or partitions make a tick behave other than its cron reads.
 */

export interface PreviewInput {
  jobs: Record<string, JobConfig>;
  state: SchedulerState;
  now: Date;
  days: number;
  graceMs?: number;
  /** Future ticks shown per job (default 500); a per-minute job over a week would be 10,080 lines. */
  limitPerJob?: number;
}

export interface PreviewEntry {
  job: string;
  /** ISO 8601 UTC. */
  tick: string;
  /** The tick on the job's wall clock, e.g. `2026-03-29 03:00 CEST`. */
  local: string;
  trigger: 'schedule' | 'catch_up';
  partition?: string;
  notes: string[];
}

const DAY_MS = 86_400_000;

export function previewSchedule(input: PreviewInput): PreviewEntry[] {
  const { jobs, now } = input;
  const limitPerJob = input.limitPerJob ?? 500;
  const decision = decide({
    jobs,
    state: input.state,
    now,
    ...(input.graceMs === undefined ? {} : { graceMs: input.graceMs }),
  });

  const startingNow: PreviewEntry[] = decision.due.map((run) => {
    const job = jobs[run.job]!;
    const entry = entryFor(run.job, job, new Date(run.tick), run.trigger);
    entry.notes.unshift(run.trigger === 'catch_up' ? 'catch-up: starts now' : 'starts now');
    return entry;
  });

  const future: PreviewEntry[] = [];
  const horizon = new Date(now.getTime() + input.days * DAY_MS);
  for (const name of Object.keys(jobs).sort()) {
    const job = jobs[name]!;
    if (!job.enabled || !job.schedule) continue;
    const ticks = ticksBetween(job.schedule, now, horizon, limitPerJob + 1);
    const shown = ticks.slice(0, limitPerJob).map((tick) => entryFor(name, job, tick, 'schedule'));
    if (ticks.length > limitPerJob) {
      shown
        .at(-1)
        ?.notes.push(`more ticks follow within ${input.days} days (showing the first ${limitPerJob})`);
    }
    future.push(...shown);
  }

  const byTick = (a: PreviewEntry, b: PreviewEntry) =>
    a.tick.localeCompare(b.tick) || a.job.localeCompare(b.job);
  startingNow.sort(byTick);
  future.sort(byTick);
  const entries = [...startingNow, ...future];
  attachPassedNotes(entries, decision.passed, jobs);
  return entries;
}

function entryFor(name: string, job: JobConfig, tick: Date, trigger: PreviewEntry['trigger']): PreviewEntry {
  const schedule = job.schedule!;
  const entry: PreviewEntry = {
    job: name,
    tick: tick.toISOString(),
    local: localTime(tick, schedule.timezone),
    trigger,
    notes: dstNotes(tick, schedule),
  };
  if (job.partitions) {
    entry.partition = partitionOfTick(tick, job.partitions);
    if (entry.partition < job.partitions.start) {
      entry.notes.push(
        `partition ${entry.partition} is before partitions.start ${job.partitions.start}: passed over, not run`,
      );
    }
  }
  return entry;
}

/** Ticks decide() passes over right now, summarised on the job's first entry (one line per reason). */
function attachPassedNotes(entries: PreviewEntry[], passed: PassedTick[], jobs: Record<string, JobConfig>) {
  const byJob = new Map<string, PassedTick[]>();
  for (const tick of passed) byJob.set(tick.job, [...(byJob.get(tick.job) ?? []), tick]);
  for (const [name, ticks] of byJob) {
    const entry = entries.find((candidate) => candidate.job === name);
    if (!entry) continue;
    entry.notes.push(...passedNotes(ticks, jobs[name]!));
  }
}

function passedNotes(ticks: PassedTick[], job: JobConfig): string[] {
  const zone = job.schedule!.timezone;
  const span = (group: PassedTick[]) => {
    const first = localTime(new Date(group[0]!.tick), zone);
    const last = localTime(new Date(group.at(-1)!.tick), zone);
    return group.length === 1 ? first : `${first} … ${last}`;
  };
  const notes: string[] = [];
  const tooMany = ticks.find((tick) => tick.reason === 'too_many');
  if (tooMany) {
    const count = `${tooMany.countIsLowerBound ? 'at least ' : ''}${tooMany.count}`;
    const through = tooMany.through ? localTime(new Date(tooMany.through), zone) : '?';
    notes.push(
      `${count} older missed ticks passed over without a look (more than ${DEFAULT_TICK_LIMIT} missed): ` +
        `${localTime(new Date(tooMany.tick), zone)} … ${through}`,
    );
  }
  const late = ticks.filter((tick) => tick.reason === 'catch_up_none' || tick.reason === 'catch_up_latest');
  if (late.length > 0) {
    notes.push(
      `${plural(late.length, 'missed tick')} passed over (catch_up: ${job.catch_up}): ${span(late)}`,
    );
  }
  const early = ticks.filter((tick) => tick.reason === 'before_partition_start');
  if (early.length > 0) {
    notes.push(
      `${plural(early.length, 'missed tick')} passed over (partition before partitions.start ${job.partitions?.start}): ${span(early)}`,
    );
  }
  return notes;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A table for people: job, local time, UTC, partition, trigger, notes. */
export function formatPreview(entries: PreviewEntry[]): string {
  if (entries.length === 0) return 'No scheduled runs in this window (no enabled job with a schedule ticks).';
  const headers = ['JOB', 'LOCAL TIME', 'UTC', 'PARTITION', 'TRIGGER', 'NOTES'];
  const rows = entries.map((entry) => [
    entry.job,
    entry.local,
    entry.tick.replace(/\.000Z$/, 'Z'),
    entry.partition ?? '',
    entry.trigger === 'catch_up' ? 'catch-up' : 'schedule',
    entry.notes.join('; '),
  ]);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
