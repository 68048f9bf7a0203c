import type { S3Client } from '@aws-sdk/client-s3';
import { projectPath } from '../../config/load.ts';
import type { VaultlineConfig } from '../../config/schema.ts';
import type { LandingStore } from '../../landing/store.ts';
import { log } from '../../shared/logger.ts';
import { redactor } from '../../shared/redact.ts';
import type { SensorConfig } from '../config.ts';
import { openSensorCursor, type SensorCursor } from './cursor.ts';
import { listFolder } from './folder.ts';
import type { SensedItem } from './items.ts';
import { listLanded } from './landed.ts';
import { listS3 } from './s3.ts';

export interface PollDeps {
  projectDir: string;
  /** The project's configuration: the landing store of `landed:` sensors. */
  config?: VaultlineConfig;
  /** `<project>/<serve.state_path>` (see orchestratorStateDir). */
  stateDir: string;
  now: Date;
  /**
   * Creates one run per item, durably (each run on disk) before it resolves. It may throw after
   * creating some: the next poll finds those through `alreadyTriggered` and retries the rest.
   */
  trigger(items: SensedItem[]): Promise<void>;
  /**
   * The run history's answer to "has this item a run already?" (runs with trigger
   * {kind: 'sensor', sensor, item: id}). It heals a crash between `trigger` and the cursor write;
   * without it such a crash starts those items twice.
   */
  alreadyTriggered?(id: string): boolean;
  /** Injected for tests or a caller that shares one; otherwise made from the sensor's s3: section. */
  s3Client?: S3Client;
  /** Injected for tests; otherwise openLandingStore(config). */
  landingStore?: LandingStore;
  /** An open cursor to reuse between polls; otherwise it is read from disk for this poll. */
  cursor?: SensorCursor;
}

export interface PollResult {
  newItems: SensedItem[];
  /** Why the poll failed (listing or trigger); recorded in the cursor for `schedule why`, never thrown. */
  error?: string;
  /** Things the user should fix that did not stop the poll (a symlink met for the first time). */
  warnings: string[];
}

/** Where the orchestrator keeps its state, sensors' cursors included. */
export function orchestratorStateDir(config: VaultlineConfig): string {
  return projectPath(config, config.serve.state_path);
}

/**
 * One look at what `sensor` watches; each new item starts one run. Exactly once, through any crash:
 *
 *   1. list what is there now;
 *   2. drop what the cursor has seen, and what the run history already has a run for (those are
 *      written to the cursor now: they are the items of a poll killed after step 3);
 *   3. `trigger` the rest: runs are on disk when it returns;
 *   4. add them to the cursor (fsynced).
 *
 * A kill -9 before 3 finishes leaves no run for an item, or runs that step 2 of the next poll
 * recognises; after 4, the cursor. A failed listing changes nothing but lastError; the next poll
 * simply looks again.
 */
export async function pollSensor(name: string, sensor: SensorConfig, deps: PollDeps): Promise<PollResult> {
  let cursor: SensorCursor;
  try {
    cursor = deps.cursor ?? openSensorCursor(deps.stateDir, name);
  } catch (error) {
    return { newItems: [], error: messageOf(error), warnings: [] };
  }
  let listed: SensedItem[];
  const warnings: string[] = [];
  let symlinks: string[] | undefined;
  try {
    const listing = await listSensor(sensor, deps);
    listed = listing.items;
    symlinks = listing.symlinks;
    const known = new Set(cursor.state().symlinks);
    for (const link of symlinks.filter((path) => !known.has(path))) {
      const warning = `sensor ${name}: skipped the symlink ${link} (sensors never follow links; move the real file into the folder)`;
      warnings.push(warning);
      log().warn(redactor.text(warning));
    }
  } catch (error) {
    return failed(cursor, deps.now, `sensor ${name}: could not list: ${messageOf(error)}`, warnings);
  }
  try {
    const unseen = listed.filter((item) => !cursor.seen(item.id));
    const healed = unseen.filter((item) => deps.alreadyTriggered?.(item.id) === true);
    if (healed.length > 0)
      cursor.add(
        healed.map((item) => item.id),
        deps.now,
      );
    const newItems = unseen.filter((item) => !cursor.seen(item.id));
    if (newItems.length > 0) {
      await deps.trigger(newItems);
      cursor.add(
        newItems.map((item) => item.id),
        deps.now,
      );
    }
    cursor.recordPoll(deps.now, undefined, symlinks);
    return { newItems, warnings };
  } catch (error) {
    return failed(cursor, deps.now, `sensor ${name}: could not start runs: ${messageOf(error)}`, warnings);
  }
}

async function listSensor(
  sensor: SensorConfig,
  deps: PollDeps,
): Promise<{ items: SensedItem[]; symlinks: string[] }> {
  if (sensor.folder !== undefined)
    return listFolder(deps.projectDir, sensor.folder, sensor.pattern, { now: deps.now });
  if (sensor.s3 !== undefined) {
    const items = await listS3(sensor.s3, { pattern: sensor.pattern, client: deps.s3Client });
    return { items, symlinks: [] };
  }
  if (sensor.landed !== undefined) {
    const items = await listLanded(sensor.landed, {
      config: deps.config,
      store: deps.landingStore,
      pattern: sensor.pattern,
    });
    return { items, symlinks: [] };
  }
  // The config check (references.ts) makes this impossible; a clear message if it ever is not.
  throw new Error('watches nothing: give it one of folder:, s3: or landed:');
}

function failed(cursor: SensorCursor, at: Date, message: string, warnings: string[]): PollResult {
  const error = redactor.text(message);
  try {
    cursor.recordPoll(at, error);
  } catch (recordError) {
    // The state folder itself is failing: the caller still gets both problems.
    return { newItems: [], error: `${error}; and could not record it: ${messageOf(recordError)}`, warnings };
  }
  return { newItems: [], error, warnings };
}

function messageOf(error: unknown): string {
  return redactor.text(error instanceof Error ? error.message : String(error));
}
