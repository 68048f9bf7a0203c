/** A throwaway project folder (vaultline.yml, local landing store, DuckDB warehouse) for run-layer tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { VaultlineConfig } from '../../src/config/schema.ts';
import { landPayload } from '../../src/landing/land.ts';
import { LocalStore } from '../../src/landing/local-store.ts';
import type { LandingStore } from '../../src/landing/store.ts';
import type { SelectedGraph } from '../../src/project/types.ts';
import { type RunCommand, type RunProjectInput, runProject } from '../../src/run/run-project.ts';
import { openWarehouse } from '../../src/run/warehouse.ts';
import { steppingClock } from '../../src/shared/clock.ts';
import { miniRender } from './run-graph.ts';

export interface TempProject {
  dir: string;
  config: VaultlineConfig;
  store: LandingStore;
  land(source: string, resource: string, body: string | Buffer, at: string): Promise<string>;
  run(
    command: RunCommand,
    selected: SelectedGraph,
    options?: Pick<RunProjectInput, 'fullRefresh' | 'threads' | 'vars' | 'warehouse' | 'signal'>,
  ): ReturnType<typeof runProject>;
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
  warnings: string[];
  cleanup(): void;
}

export function tempProject(options: { store?: (dir: string) => LandingStore } = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-run-'));
  writeFileSync(join(dir, 'vaultline.yml'), 'name: p\n');
  const config = loadConfig(dir, {});
  const store = options.store ? options.store(dir) : new LocalStore(join(dir, '.vaultline/raw'));
  const warnings: string[] = [];
  let runs = 0;
  return {
    dir,
    config,
    store,
    warnings,
    async land(source, resource, body, at) {
      const meta = await landPayload(
        store,
        {
          source,
          resource,
          body: Buffer.from(body),
          request: { method: 'GET', url: `https://example.test/${source}/${resource}?at=${at}` },
          response: { status: 200 },
          connector: { name: 'test', version: '0' },
          runId: 'land',
        },
        steppingClock(new Date(at)),
      );
      return meta.key;
    },
    run(command, selected, options = {}) {
      runs++;
      return runProject({
        config,
        selected,
        command,
        render: miniRender,
        version: 'test',
        store,
        clock: steppingClock(new Date(Date.UTC(2026, 0, runs, 12))),
        ids: { next: () => `run-${runs}` },
        warn: (m) => warnings.push(m),
        ...options,
      });
    },
    async query(sql) {
      const { session } = await openWarehouse(config);
      try {
        return (await session.query(sql)) as never;
      } finally {
        await session.close();
      }
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
