import type { AddressInfo } from 'node:net';
import { serve as listen, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { VaultlineConfig } from '../../config/schema.ts';
import { engineFor } from '../../engine/engine.ts';
import { ownWarehouse } from '../../run/warehouse.ts';
import { UsageError } from '../../shared/errors.ts';
import { log } from '../../shared/logger.ts';
import { createUiApp } from '../../ui/app.ts';
import { isLoopback } from '../../ui/auth.ts';
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
  /** VAULTLINE_UI_TOKEN: required to bind beyond loopback, then checked on every UI request. */
  uiToken?: string;
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
  const host = options.host ?? config.serve.host;
  if (!isLoopback(host) && !options.uiToken)
    throw new UsageError(
      `serving on ${host} makes the UI reachable from other machines: set VAULTLINE_UI_TOKEN to a long random secret (every request must carry it), or serve on 127.0.0.1`,
    );
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
  let generation = 0;
  const token = newToken();
  let url = '';
  const runner = new JobRunner({
    config,
    stores,
    clock,
    signal: stopping.signal,
    onEvent: (event) => broadcast({ run: event.run, event }),
    onStdout: (run, text) => broadcast({ run, stdout: text }),
    onFinished: (run) => {
      generation++;
      return alertRun(config, stores.runs, run, { serverUrl: url });
    },
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
  const ui = createUiApp(
    {
      config,
      runs: stores.runs,
      runner,
      clock,
      read: (work) => session.withConnection(work),
      watch: (listener) => {
        const forward = (message: { event?: RunEvent }) => {
          if (message.event) listener(message.event);
        };
        listeners.add(forward);
        return () => listeners.delete(forward);
      },
      warehouseGeneration: () => generation,
    },
    options.uiToken ? { token: options.uiToken } : {},
  );
  const root = new Hono();
  root.route('/', app);
  root.route('/', ui);
  root.notFound((c) =>
    c.req.path.startsWith('/api/') || c.req.path.startsWith('/ui/api/')
      ? c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404)
      : c.text(`no page ${c.req.path}`, 404),
  );
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = listen({ fetch: root.fetch, port: options.port ?? config.serve.port, hostname: host }, () =>
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
