/**
 * The benchmark's project and harness: a temp folder with `name: b` and one model (`select 1 as id`),
 * its DuckDB warehouse opened once and owned by this process (as `vaultline serve` owns it, so job
 * steps borrow the session), the orchestrator's file stores, and a JobRunner — the pattern of
 * test/orchestrator/runner.test.ts, with the run store timed (append = event written and fsynced,
 * get = the record folded from the run's events) so the overhead can be split.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { VaultlineConfig } from '../../src/config/schema.ts';
import { engineFor } from '../../src/engine/engine.ts';
import { JobRunner } from '../../src/orchestrator/runner.ts';
import { openOrchestratorStores } from '../../src/orchestrator/store/open.ts';
import type { RunStore } from '../../src/orchestrator/store/types.ts';
import type { OrchestratorClock, RunEvent, RunRecord } from '../../src/orchestrator/types.ts';
import { ownWarehouse } from '../../src/run/warehouse.ts';

export function writeProject(jobsYaml: string): { dir: string; config: VaultlineConfig } {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-bench-orchestrator-'));
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'models', 'one.sql'), 'select 1 as id\n');
  writeFileSync(join(dir, 'vaultline.yml'), `name: b\njobs:\n${jobsYaml}`);
  return { dir, config: loadConfig(dir, {}) };
}

/** Time spent in the run store, by method: what the runner adds around a command. */
export interface StoreTimes {
  appendMs: number;
  appends: number;
  getMs: number;
  gets: number;
}

/** Each append's event and when it began and ended (performance.now()), when someone listens. */
export type AppendListener = (event: RunEvent, startMs: number, endMs: number) => void;

function timed(runs: RunStore, times: StoreTimes, onAppend?: AppendListener): RunStore {
  return {
    append(event) {
      const start = performance.now();
      runs.append(event);
      const end = performance.now();
      times.appendMs += end - start;
      times.appends++;
      onAppend?.(event, start, end);
    },
    get(run) {
      const start = performance.now();
      const record = runs.get(run);
      times.getMs += performance.now() - start;
      times.gets++;
      return record;
    },
    list: (filter) => runs.list(filter),
    logs: (run, options) => runs.logs(run, options),
    abandonOrphans: (isAlive, at, ownPid) => runs.abandonOrphans(isAlive, at, ownPid),
  };
}

export async function harness(
  jobsYaml: string,
  clock: OrchestratorClock,
  hooks: {
    onEvent?: (event: RunEvent) => void;
    onFinished?: (run: RunRecord) => void;
    onAppend?: AppendListener;
  } = {},
) {
  const { dir, config } = writeProject(jobsYaml);
  const stores = openOrchestratorStores(config);
  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(config.warehouse, { projectDir: config.projectDir });
  const disown = ownWarehouse(config.projectDir, engine, session);
  const stopping = new AbortController();
  const times: StoreTimes = { appendMs: 0, appends: 0, getMs: 0, gets: 0 };
  const runner = new JobRunner({
    config,
    stores: { runs: timed(stores.runs, times, hooks.onAppend), partitions: stores.partitions },
    clock,
    signal: stopping.signal,
    random: () => 1,
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
    onFinished: async (run) => hooks.onFinished?.(run),
  });
  return {
    dir,
    config,
    stores,
    runner,
    times,
    stopping,
    async close() {
      stopping.abort();
      await runner.settled();
      disown();
      await session.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
};
