import { resolve } from 'node:path';
import { projectPath } from '../config/load.ts';
import type { VaultlineConfig } from '../config/schema.ts';
import type { Session } from '../engine/dialect.ts';
import type { Engine } from '../engine/engine.ts';
import { openLandingStore } from '../landing/open-store.ts';
import type { LandingStore } from '../landing/store.ts';
import type { RunResult, SelectedGraph } from '../project/types.ts';
import { type Clock, type IdGenerator, randomIds, systemClock } from '../shared/clock.ts';
import { executePlan, type ProgressEvent } from './execute.ts';
import { COMMAND_RESOURCE_TYPES, planExecution } from './plan.ts';
import type { RenderNode } from './render-context.ts';
import { runResultsDocument, writeRunResults } from './results-file.ts';
import { LandedSources } from './sources/landed-sources.ts';
import { checkVaultInputs } from './vault-preflight.ts';
import { openWarehouse } from './warehouse.ts';

export type RunCommand = 'run' | 'test' | 'build' | 'seed';

export interface RunProjectInput {
  config: VaultlineConfig;
  selected: SelectedGraph;
  command: RunCommand;
  render: RenderNode;
  fullRefresh?: boolean;
  vars?: Record<string, unknown>;
  threads?: number;
  version: string;
  args?: unknown;
  store?: LandingStore;
  clock?: Clock;
  ids?: IdGenerator;
  onProgress?: (event: ProgressEvent) => void;
  warn?: (message: string) => void;
  /**
   * An open warehouse to run on (a process that owns one, tests); its owner closes it. Default: the
   * configured warehouse, opened for this run and closed after it.
   */
  warehouse?: { engine: Engine; session: Session };
  /**
   * Cancels the build: a node running when it fires is interrupted and rolled back (status
   * `cancelled`), the nodes not started are skipped, and the result says `cancelled: true`.
   */
  signal?: AbortSignal;
}

export interface RunProjectOutput {
  result: RunResult;
  runResultsPath: string;
}

/**
 * One `run` / `test` / `build` / `seed`: plan the selection, open the warehouse (failing fast when
 * another process holds it), execute, keep the history in vaultline_meta and write
 * `<target_path>/run_results.json`.
 */
export async function runProject(input: RunProjectInput): Promise<RunProjectOutput> {
  const { config, selected, command } = input;
  const clock = input.clock ?? systemClock;
  const warn = input.warn ?? (() => undefined);
  const plan = planExecution(selected, {
    resourceTypes: COMMAND_RESOURCE_TYPES[command],
    testsGate: command === 'build',
  });
  const { engine, session } = input.warehouse ?? (await openWarehouse(config));
  try {
    const vars = { ...config.vars, ...(input.vars ?? {}) };
    const target = {
      name: config.profile ?? 'dev',
      type: engine.dialect.name,
      schema: engine.dialect.defaultSchema,
    };
    // Vault column problems are configuration errors: found before the run changes anything.
    await checkVaultInputs({
      plan,
      engine,
      session,
      render: input.render,
      vars,
      target,
      fullRefresh: input.fullRefresh === true,
    });
    const store = input.store ?? openLandingStore(config);
    const runId = (input.ids ?? randomIds).next();
    const sources = new LandedSources({
      session,
      engine,
      store,
      clock,
      runId,
      warn,
      rebuild: input.fullRefresh === true,
    });
    const result = await executePlan(
      plan,
      {
        graph: selected.graph,
        engine,
        session,
        sources,
        render: input.render,
        clock,
        runId,
        fullRefresh: input.fullRefresh === true,
        vars,
        target,
        ...(input.signal ? { signal: input.signal } : {}),
        compiledDir: {
          absolute: resolve(config.projectDir, config.target_path, 'compiled'),
          shown: `${config.target_path.replace(/\/+$/, '')}/compiled`,
        },
      },
      {
        command,
        threads: input.threads ?? 1,
        testsGate: command === 'build',
        args: input.args,
        version: input.version,
        onProgress: input.onProgress,
        onWarning: warn,
      },
    );
    const runResultsPath = writeRunResults(
      projectPath(config, config.target_path),
      runResultsDocument(result, selected.graph, { version: input.version, args: input.args }),
    );
    return { result, runResultsPath };
  } finally {
    if (!input.warehouse) await session.close();
  }
}
