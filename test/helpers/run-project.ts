/**
 * A throwaway project folder (vaultline.yml, local landing store, a warehouse) for run-layer tests.
 * The warehouse is the default DuckDB file, or a fresh one of a test engine (`{ engine }`,
 * test/helpers/engines.ts: a new PostgreSQL database), named in vaultline.yml's `warehouse:`.
 * A test engine's warehouse is created by `ready()` (call it in a `before` hook; `run` and `query`
 * call it too); `cleanup()` removes the folder and drops the warehouse.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { VaultlineConfig } from '../../src/config/schema.ts';
import type { Dialect } from '../../src/engine/dialect.ts';
import { engineFor } from '../../src/engine/engine.ts';
import { landPayload } from '../../src/landing/land.ts';
import { LocalStore } from '../../src/landing/local-store.ts';
import type { LandingStore } from '../../src/landing/store.ts';
import type { SelectedGraph } from '../../src/project/types.ts';
import { type RunCommand, type RunProjectInput, runProject } from '../../src/run/run-project.ts';
import { openWarehouse } from '../../src/run/warehouse.ts';
import { steppingClock } from '../../src/shared/clock.ts';
import type { TestEngine, TestWarehouse } from './engines.ts';
import { miniRender } from './run-graph.ts';

export interface TempProject {
  dir: string;
  /** The project's config (after `ready()` when the project has a test engine). */
  readonly config: VaultlineConfig;
  /** The warehouse's dialect (DuckDB's unless a test engine was given). */
  readonly dialect: Dialect;
  store: LandingStore;
  /** Creates the test engine's warehouse and writes vaultline.yml (once; nothing to do otherwise). */
  ready(): Promise<void>;
  land(source: string, resource: string, body: string | Buffer, at: string): Promise<string>;
  run(
    command: RunCommand,
    selected: SelectedGraph,
    options?: Pick<RunProjectInput, 'fullRefresh' | 'threads' | 'vars' | 'warehouse' | 'signal'>,
  ): ReturnType<typeof runProject>;
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<T[]>;
  warnings: string[];
  cleanup(): Promise<void>;
}

export function tempProject(
  options: { store?: (dir: string) => LandingStore; engine?: TestEngine } = {},
): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-run-'));
  const store = options.store ? options.store(dir) : new LocalStore(join(dir, '.vaultline/raw'));
  const warnings: string[] = [];
  const { engine } = options;
  let config: VaultlineConfig | undefined;
  let warehouse: TestWarehouse | undefined;
  let preparing: Promise<void> | undefined;
  if (!engine) {
    writeFileSync(join(dir, 'vaultline.yml'), 'name: p\n');
    config = loadConfig(dir, {});
  }
  const ready = () => {
    preparing ??= (async () => {
      if (config) return;
      warehouse = await engine!.create(dir);
      writeFileSync(join(dir, 'vaultline.yml'), `name: p\n${warehouse.yaml()}`);
      config = loadConfig(dir, {});
    })();
    return preparing;
  };
  const configured = (): VaultlineConfig => {
    if (!config) throw new Error('tempProject: await p.ready() before reading its config');
    return config;
  };
  let runs = 0;
  return {
    dir,
    get config() {
      return configured();
    },
    get dialect() {
      return (engine?.engine ?? engineFor('duckdb')).dialect;
    },
    store,
    warnings,
    ready,
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
    async run(command, selected, runOptions = {}) {
      await ready();
      runs++;
      return runProject({
        config: configured(),
        selected,
        command,
        render: miniRender,
        version: 'test',
        store,
        clock: steppingClock(new Date(Date.UTC(2026, 0, runs, 12))),
        ids: { next: () => `run-${runs}` },
        warn: (m) => warnings.push(m),
        ...runOptions,
      });
    },
    async query(sql) {
      await ready();
      const { session } = await openWarehouse(configured());
      try {
        return (await session.query(sql)) as never;
      } finally {
        await session.close();
      }
    },
    async cleanup() {
      await preparing?.catch(() => undefined);
      await warehouse?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
