import type { AddressInfo } from 'node:net';
import { serve as listen, type ServerType } from '@hono/node-server';
import type { VaultlineConfig } from '../../config/schema.ts';
import { engineFor } from '../../engine/engine.ts';
import { ownWarehouse } from '../../run/warehouse.ts';
import { log } from '../../shared/logger.ts';
import { alertMissed, alertRun } from '../alerting.ts';
import { JobRunner } from '../runner.ts';
import { Scheduler } from '../scheduler-loop.ts';
import { SensorLoop } from '../sensor-loop.ts';
import { openOrchestratorStores } from '../store/open.ts';
import type { OrchestratorClock, RunEvent } from '../types.ts';
import { createApi } from './api.ts';
import {
  isAlive,
  newToken,
  removeServerInfo,
  type ServerInfo,
  serverInfoPath,
  writeServerInfo,
} from './discovery.ts';

export interface ServeOptions {
  config: VaultlineConfig;
  clock: OrchestratorClock;
  host?: string;
  port?: number;
  /** Run the scheduler and sensors (default true); off, the server only runs what it is asked to. */
  schedule?: boolean;
}

export interface RunningServer {
  info: ServerInfo;
  runner: JobRunner;
  /** Stops cleanly: no new runs, the running step cancelled through the engine, the warehouse closed. */
  stop(reason?: string): Promise<void>;
  /** Resolves when the server has stopped. */
  stopped: Promise<void>;
}

/**
 * `vaultline serve`: one process that owns the warehouse (opened once; job steps and submitted
 * commands borrow it, the API reads run history from the store, so reads never wait on a build),
 * runs the scheduler and the sensors, and serves the API on loopback.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config, clock } = options;
  const stores = openOrchestratorStores(config);
  const abandoned = stores.runs.abandonOrphans(isAlive, clock.now(), process.pid);
  for (const run of abandoned)
    log().warn(
      `run ${run.id} (${run.job}) was left ${run.status} by a process that is gone: marked abandoned`,
    );

  const engine = engineFor(config.warehouse.type);
  const session = await engine.open(config.warehouse, { projectDir: config.projectDir });
  const disown = ownWarehouse(config.projectDir, engine, session);

  const stopping = new AbortController();
  const listeners = new Set<(message: { run: string; event?: RunEvent; stdout?: string }) => void>();
  const broadcast = (message: { run: string; event?: RunEvent; stdout?: string }) => {
    for (const listener of listeners) listener(message);
  };
  const startedAt = clock.now().toISOString();
  const host = options.host ?? config.serve.host;
  const token = newToken();
  let url = '';
  const runner = new JobRunner({
    config,
    stores,
    clock,
    signal: stopping.signal,
    onEvent: (event) => broadcast({ run: event.run, event }),
    onStdout: (run, text) => broadcast({ run, stdout: text }),
    onFinished: (run) => alertRun(config, stores.runs, run, { serverUrl: url }),
  });
  const app = createApi({
    config,
    runner,
    runs: stores.runs,
    clock,
    token,
    startedAt,
    watch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = listen({ fetch: app.fetch, port: options.port ?? config.serve.port, hostname: host }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const info: ServerInfo = {
    pid: process.pid,
    host,
    port: address.port,
    token,
    projectDir: config.projectDir,
    startedAt,
    url,
  };
  const infoPath = serverInfoPath(config);
  writeServerInfo(infoPath, info);

  const scheduler =
    options.schedule === false
      ? undefined
      : new Scheduler({
          config,
          clock,
          state: stores.scheduler,
          runner,
          signal: stopping.signal,
          startedAt,
          onMissed: (missed) => alertMissed(config, missed, { serverUrl: url }),
        });
  const sensors =
    options.schedule === false
      ? undefined
      : new SensorLoop({ config, clock, runner, runs: stores.runs, signal: stopping.signal });
  const loops = [scheduler?.run(), sensors?.run()];

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopCalled: Promise<void> | undefined;
  const stop = (reason = 'stopping') => {
    stopCalled ??= (async () => {
      log().info(
        `vaultline serve: ${reason}; cancelling ${runner.activeRuns.length} queued or running run(s)`,
      );
      stopping.abort(new Error(reason));
      await runner.settled();
      await Promise.allSettled(loops);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open; every request has been answered.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      disown();
      await session.close();
      removeServerInfo(infoPath, process.pid);
      resolveStopped();
    })();
    return stopCalled;
  };
  return { info, runner, stop, stopped };
}
