import { isDay, isNormalized, missingDays, normalize, withDay } from './day-ranges.ts';
import { StateFileCorruptError, StateNameError } from './errors.ts';
import { readTextNoFollow, type StateDir, writeFileAtomic } from './safe-fs.ts';
import type { DayRange, PartitionStore } from './types.ts';

/** Job names as the config allows them (config.ts jobsSchema): safe as file names. */
const JOB_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `partitions/<job>.json`: the days a partitioned job has done, as merged inclusive ranges
 * [["2025-01-01","2025-03-31"], …]. Replaced whole (temp + rename) on every markDone.
 * One writer at a time is assumed (the process that runs the job's runs).
 */
export class FilePartitionStore implements PartitionStore {
  constructor(private readonly state: StateDir) {}

  done(job: string): DayRange[] {
    const path = this.path(job);
    if (!this.state.exists('partitions')) return [];
    const text = readTextNoFollow(path);
    if (text === undefined) return [];
    const consequence = `the job's done days are then forgotten, and a backfill runs them again`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StateFileCorruptError(path, `not JSON: ${(error as Error).message}`, consequence);
    }
    if (!isRanges(parsed))
      throw new StateFileCorruptError(
        path,
        'not a list of ["YYYY-MM-DD", "YYYY-MM-DD"] day ranges',
        consequence,
      );
    // Written normalized; a hand-edited file is normalized on read rather than refused.
    return isNormalized(parsed) ? parsed : normalize(parsed);
  }

  markDone(job: string, day: string): void {
    checkDay(day);
    const ranges = withDay(this.done(job), day);
    this.state.ensure('partitions');
    writeFileAtomic(this.path(job), `${JSON.stringify(ranges)}\n`);
  }

  missing(job: string, from: string, to: string): string[] {
    checkDay(from);
    checkDay(to);
    return from > to ? [] : missingDays(this.done(job), from, to);
  }

  private path(job: string): string {
    if (!JOB_NAME.test(job))
      throw new StateNameError(
        'job name',
        job,
        'letters, digits, "_" and "-", starting with a letter or "_"',
      );
    return this.state.path('partitions', `${job}.json`);
  }
}

function checkDay(day: string): void {
  if (!isDay(day))
    throw new StateNameError('partition day', day, 'a calendar date YYYY-MM-DD, e.g. 2025-01-31');
}

function isRanges(value: unknown): value is DayRange[] {
  return (
    Array.isArray(value) &&
    value.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 2 &&
        typeof r[0] === 'string' &&
        typeof r[1] === 'string' &&
        isDay(r[0]) &&
        isDay(r[1]),
    )
  );
}
