import { join } from 'node:path';
import {
  appendDurably,
  ensureRealFolder,
  readTextNoFollow,
  removeStaleTemps,
  truncateDurably,
  writeAtomic,
} from './cursor-files.ts';
import { SensorCursorError } from './errors.ts';

/**
 * A sensor's memory, under `<stateDir>/sensors/`, two files per sensor:
 *
 * - `<name>.seen.jsonl` — the ids of every item that started a run, one JSON string a line,
 *   append-only and fsynced: an id is added once, never rewritten, so a sensor that has seen 100,000
 *   files does not rewrite them all on every poll. A kill -9 mid-append leaves at worst a torn last
 *   line, which is ignored (its item is then healed by the run history, see poll.ts).
 * - `<name>.json` — the status (last poll, last error, counts, symlinks skipped), small, replaced
 *   atomically (temp + fsync + rename) on every poll.
 *
 * `<name>` is the sensor's name with every character other than letters, digits, "_" and "-" written
 * as %XX (UTF-8), so any name is one safe file name and two names never share one.
 */
export interface SensorState {
  sensor: string;
  lastPollAt?: string;
  /** The last poll's error, cleared by the next poll that succeeds. */
  lastError?: string;
  lastErrorAt?: string;
  /** When the sensor last found a new item. */
  lastItemAt?: string;
  polls: number;
  errors: number;
  /** Items that started a run (the ids in the seen file). */
  triggered: number;
  /** Symlinks the last listing met and skipped (folder sensors), project-relative. */
  symlinks: string[];
}

export interface SensorCursor {
  seen(id: string): boolean;
  /** Records items as triggered: on disk before it returns. Ids already seen are ignored. */
  add(ids: readonly string[], at: Date): void;
  /** Records a poll and its outcome: `error` for a failed one; `symlinks` when the listing reported them. */
  recordPoll(at: Date, error?: string, symlinks?: readonly string[]): void;
  state(): SensorState;
}

const STATUS_VERSION = 1;

export function sensorCursorFiles(stateDir: string, sensor: string): { status: string; seen: string } {
  const base = join(stateDir, 'sensors', fileNameOf(sensor));
  return { status: `${base}.json`, seen: `${base}.seen.jsonl` };
}

export function openSensorCursor(stateDir: string, sensor: string): SensorCursor {
  ensureRealFolder(join(stateDir, 'sensors'));
  const files = sensorCursorFiles(stateDir, sensor);
  removeStaleTemps(files.status);
  const seenLog = readSeenLog(files.seen);
  const seen = seenLog.ids;
  // A torn last line (a kill -9 mid-append): cut off, or ended when it is a whole id, so that appends
  // start on a line of their own and the file never holds a damaged line in its middle.
  if (seenLog.torn) {
    if (seenLog.tornTailWhole) appendDurably(files.seen, '\n');
    else truncateDurably(files.seen, seenLog.wholeBytes);
  }
  let status: SensorState = { ...readStatus(files.status, sensor), triggered: seen.size };
  const save = () => writeAtomic(files.status, `${JSON.stringify({ version: STATUS_VERSION, ...status })}\n`);
  return {
    seen: (id) => seen.has(id),
    add(ids, at) {
      const fresh = [...new Set(ids)].filter((id) => !seen.has(id));
      if (fresh.length === 0) return;
      appendDurably(files.seen, fresh.map((id) => `${JSON.stringify(id)}\n`).join(''));
      for (const id of fresh) seen.add(id);
      status = { ...status, triggered: seen.size, lastItemAt: at.toISOString() };
      save();
    },
    recordPoll(at, error, symlinks) {
      const when = at.toISOString();
      status = {
        ...status,
        lastPollAt: when,
        polls: status.polls + 1,
        ...(symlinks ? { symlinks: [...symlinks] } : {}),
      };
      if (error === undefined) delete status.lastError;
      else status = { ...status, lastError: error, lastErrorAt: when, errors: status.errors + 1 };
      save();
    },
    state: () => ({ ...status, symlinks: [...status.symlinks] }),
  };
}

/** What `schedule why` and the API show per sensor; reads only, creates nothing. */
export function sensorStates(
  stateDir: string,
  names: readonly string[],
): Array<{ name: string; lastPollAt?: string; lastError?: string; lastItemAt?: string; triggered: number }> {
  return names.map((name) => {
    const files = sensorCursorFiles(stateDir, name);
    try {
      const status = readStatus(files.status, name);
      const triggered = readSeenLog(files.seen).ids.size;
      return {
        name,
        ...(status.lastPollAt ? { lastPollAt: status.lastPollAt } : {}),
        ...(status.lastError ? { lastError: status.lastError } : {}),
        ...(status.lastItemAt ? { lastItemAt: status.lastItemAt } : {}),
        triggered,
      };
    } catch (error) {
      // A cursor that cannot be read is itself the thing to report.
      return { name, lastError: error instanceof Error ? error.message : String(error), triggered: 0 };
    }
  });
}

function readStatus(file: string, sensor: string): SensorState {
  const empty: SensorState = { sensor, polls: 0, errors: 0, triggered: 0, symlinks: [] };
  const text = readTextNoFollow(file);
  if (text === undefined) return empty;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SensorCursorError(
      file,
      'is not valid JSON',
      'remove it: it only holds the last poll and counts; which items started runs is kept in the .seen.jsonl file beside it',
      { cause },
    );
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { version?: unknown }).version !== STATUS_VERSION
  )
    throw new SensorCursorError(
      file,
      `is not a version ${STATUS_VERSION} sensor status`,
      'remove it (the .seen.jsonl file beside it keeps which items started runs)',
    );
  const { version: _version, ...rest } = parsed as SensorState & { version: number };
  return { ...empty, ...rest, sensor };
}

interface SeenLog {
  ids: Set<string>;
  /** The file does not end with a newline. */
  torn: boolean;
  /** …and its last line is nonetheless a whole id (only the newline was lost). */
  tornTailWhole: boolean;
  /** Bytes up to and including the last newline. */
  wholeBytes: number;
}

function readSeenLog(file: string): SeenLog {
  const text = readTextNoFollow(file);
  const ids = new Set<string>();
  if (text === undefined || text === '') return { ids, torn: false, tornTailWhole: false, wholeBytes: 0 };
  const lines = text.split('\n');
  const last = lines.pop()!; // "" when the file ends with a newline
  lines.forEach((line, index) => {
    const id = parseId(line);
    if (id === undefined)
      throw new SensorCursorError(
        file,
        `has a damaged line ${index + 1}`,
        'restore the file from a backup, or delete that line (its item starts again unless the run history knows it)',
      );
    ids.add(id);
  });
  // An unterminated last line is a write cut short by a crash: whole, it counts; torn, it is dropped.
  const tail = last === '' ? undefined : parseId(last);
  if (tail !== undefined) ids.add(tail);
  const wholeBytes = Buffer.byteLength(text) - Buffer.byteLength(last);
  return { ids, torn: last !== '', tornTailWhole: tail !== undefined, wholeBytes };
}

function parseId(line: string): string | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function fileNameOf(sensor: string): string {
  return sensor.replace(/[^A-Za-z0-9_-]/gu, (char) =>
    [...Buffer.from(char)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}
