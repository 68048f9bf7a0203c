import type { VaultlineConfig } from '../config/schema.ts';
import { engineFor } from '../engine/engine.ts';
import { ownsWarehouse, ownWarehouse } from '../run/warehouse.ts';
import { log } from '../shared/logger.ts';
import { alertRun } from './alerting.ts';
import { systemOrchestratorClock } from './clock.ts';
import { JobRunner } from './runner.ts';
import { isAlive } from './server/discovery.ts';
import { openOrchestratorStores } from './store/open.ts';
import type { OrchestratorClock } from './types.ts';

export type OrchestratorStores = ReturnType<typeof openOrchestratorStores>;

/**
 * `run-job` and `backfill` without a server: the same runner, in the foreground, owning the warehouse
 * for as long as `work` runs. SIGINT/SIGTERM cancel the running step through the engine (its tables
 * stay as they were) and end the work; a second signal is left to Node (exit at once).
 */
export async function withForegroundRunner<T>(
  config: VaultlineConfig,
  work: (runner: JobRunner, stores: OrchestratorStores, signal: AbortSignal) => Promise<T>,
  options: { clock?: OrchestratorClock; signal?: AbortSignal } = {},
): Promise<T> {
  const clock = options.clock ?? systemOrchestratorClock;
  const stores = openOrchestratorStores(config);
  // Inside `vaultline serve` the runs of this pid are the server's own, and alive.
  if (!ownsWarehouse(config.projectDir))
    for (const run of stores.runs.abandonOrphans(isAlive, clock.now(), process.pid))
      log().warn(
        `run ${run.id} (${run.job}) was left unfinished by a process that is gone: marked abandoned`,
      );
  const stopping = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log().warn(`${signal}: cancelling the running step (its tables are left as they were)`);
    stopping.abort(new Error(`stopped by ${signal}`));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  // Inside `vaultline serve` (a submitted run-job) the server's signal and warehouse serve instead.
  if (options.signal)
    options.signal.addEventListener('abort', () => stopping.abort(options.signal?.reason), { once: true });
  else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  let release = async () => undefined as undefined;
  if (!ownsWarehouse(config.projectDir)) {
    const engine = engineFor(config.warehouse.type);
    const session = await engine.open(config.warehouse, { projectDir: config.projectDir });
    const disown = ownWarehouse(config.projectDir, engine, session);
    release = async () => {
      disown();
      await session.close();
    };
  }
  const runner = new JobRunner({
    config,
    stores,
    clock,
    signal: stopping.signal,
    onFinished: (run) => alertRun(config, stores.runs, run),
  });
  try {
    return await work(runner, stores, stopping.signal);
  } finally {
    await runner.settled();
    await release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
