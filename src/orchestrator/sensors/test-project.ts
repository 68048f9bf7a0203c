import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SensorConfig } from '../config.ts';
import type { SensedItem } from './items.ts';

/** Test support: a throwaway project folder, files with chosen mtimes, and a run history stand-in. */

/** Files are written with this mtime; polls run a minute later, so no file is "still being written". */
export const FILE_TIME = new Date('2026-03-01T10:00:00.000Z');
export const POLL_TIME = new Date('2026-03-01T10:01:00.000Z');

export function tempProject(): { dir: string; stateDir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-sensor-'));
  return {
    dir,
    stateDir: join(dir, '.vaultline/orchestrator'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function writeFileAt(path: string, text: string, mtime: Date = FILE_TIME): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, mtime, mtime);
}

export function folderSensor(folder: string, extra: Partial<SensorConfig> = {}): SensorConfig {
  return { job: 'load', folder, interval: 30_000, enabled: true, ...extra };
}

/**
 * What the run store would know: the items that have a run. `trigger` records each item, as creating
 * its run would, before resolving.
 */
export function runHistory() {
  const runs: string[] = [];
  return {
    runs,
    trigger: async (items: SensedItem[]) => {
      for (const item of items) runs.push(item.id);
    },
    alreadyTriggered: (id: string) => runs.includes(id),
  };
}

/** The run ids a file-backed run history holds (kill-child.ts writes one a line). */
export function recordedRuns(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
