import type { SchedulerState } from '../types.ts';
import { StateFileCorruptError } from './errors.ts';
import { readTextNoFollow, type StateDir, writeFileAtomic } from './safe-fs.ts';
import type { SchedulerStateStore } from './types.ts';

const FRESH = 'the scheduler then starts fresh (each job from its next tick, catch-up from now)';

/** `scheduler.json`: the scheduler's memory between restarts, replaced whole on every write. */
export class FileSchedulerStateStore implements SchedulerStateStore {
  constructor(private readonly state: StateDir) {}

  get path(): string {
    return this.state.path('scheduler.json');
  }

  read(): SchedulerState {
    if (!this.state.exists()) return { jobs: {} };
    const text = readTextNoFollow(this.path);
    if (text === undefined) return { jobs: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StateFileCorruptError(this.path, `not JSON: ${(error as Error).message}`, FRESH);
    }
    const problem = shapeProblem(parsed);
    if (problem) throw new StateFileCorruptError(this.path, problem, FRESH);
    return parsed as SchedulerState;
  }

  write(state: SchedulerState): void {
    this.state.ensure();
    writeFileAtomic(this.path, `${JSON.stringify(state, null, 2)}\n`);
  }
}

function shapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  if (!isRecord(value.jobs)) return '"jobs" is not an object of job name → state';
  for (const [job, state] of Object.entries(value.jobs)) {
    if (!isRecord(state)) return `jobs.${job} is not an object`;
    if (state.lastTick !== undefined && typeof state.lastTick !== 'string')
      return `jobs.${job}.lastTick is not a time`;
  }
  const beat = value.heartbeat;
  if (beat !== undefined) {
    if (
      !isRecord(beat) ||
      typeof beat.pid !== 'number' ||
      typeof beat.at !== 'string' ||
      typeof beat.startedAt !== 'string'
    )
      return '"heartbeat" is not {pid, startedAt, at}';
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
