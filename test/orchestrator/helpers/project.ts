import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../../src/config/load.ts';
import type { VaultlineConfig } from '../../../src/config/schema.ts';
import { engineFor } from '../../../src/engine/engine.ts';
import { JobRunner } from '../../../src/orchestrator/runner.ts';
import { openOrchestratorStores } from '../../../src/orchestrator/store/open.ts';
import type { OrchestratorClock, RunEvent, RunRecord } from '../../../src/orchestrator/types.ts';
import { ownWarehouse } from '../../../src/run/warehouse.ts';

/** Temp projects made by a test file, removed by `removeAll` (call it in `after`). */
export class TempProjects {
  private readonly dirs: string[] = [];

  /** A project folder with `vaultline.yml` and the given files (project-relative path → text). */
  make(prefix: string, yml: string, files: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), `vaultline-${prefix}-`));
    this.dirs.push(dir);
    writeFileSync(join(dir, 'vaultline.yml'), yml);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

export function configOf(dir: string): VaultlineConfig {
  return loadConfig(dir, {});
}

/**
 * A real JobRunner on the project's run store and a real DuckDB warehouse owned by this process (as
 * `vaultline serve` owns it), on an injected clock. `close` stops the runner and releases the
 * warehouse; it is safe to call twice.
 */
export async function openRunner(config: VaultlineConfig, clock: OrchestratorClock) {
  const stores = openOrchestratorStores(config);
  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(config.warehouse, { projectDir: config.projectDir });
  const disown = ownWarehouse(config.projectDir, engine, session);
  const stopping = new AbortController();
  const finished: RunRecord[] = [];
  const events: RunEvent[] = [];
  const runner = new JobRunner({
    config,
    stores,
    clock,
    signal: stopping.signal,
    random: () => 1,
    onEvent: (event) => events.push(event),
    onFinished: async (run) => {
      finished.push(run);
    },
  });
  let closed = false;
  return {
    stores,
    runner,
    finished,
    events,
    stopping,
    async close() {
      if (closed) return;
      closed = true;
      stopping.abort();
      await runner.settled();
      disown();
      await session.close();
    },
  };
}

/**
 * Waits (in real time) until `probe()` gives something other than undefined or false, while the code
 * under test runs (in this process or another), and returns it.
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
