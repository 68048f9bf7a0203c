import type { Command } from 'commander';
import { findServer } from '../orchestrator/server/discovery.ts';
import { UsageError, VaultlineError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline serve`: the long-running process — scheduler, sensors, the HTTP API on loopback — that
 * owns the warehouse. Runs until SIGINT/SIGTERM, then cancels the running step and exits 0.
 */
export function registerServe(program: Command, context: ContextProvider): void {
  program
    .command('serve')
    .description(
      'run jobs on their schedules and sensors, and serve the API (CLI commands are submitted to it)',
    )
    .option('--port <n>', 'port on the host (default serve.port, 8765; 0 = any free port)')
    .option('--host <host>', 'address to listen on (default serve.host, 127.0.0.1)')
    .option(
      '--no-schedule',
      'run only what is submitted or triggered over the API (no schedules, no sensors)',
    )
    .action(async (flags: { port?: string; host?: string; schedule: boolean }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
        throw new UsageError(`--port must be a port number from 0 to 65535 (got "${flags.port}")`);
      const running = await findServer(config);
      if (running)
        throw new VaultlineError(
          `vaultline serve is already running for this project (pid ${running.pid}, ${running.url}); stop it first (kill ${running.pid})`,
        );
      // Loaded here: the server's modules (HTTP, alerts) are not needed by any other verb.
      const { startServer } = await import('../orchestrator/server/serve.ts');
      const { systemOrchestratorClock } = await import('../orchestrator/clock.ts');
      const uiToken = process.env.VAULTLINE_UI_TOKEN || undefined;
      if (uiToken) {
        const { redactor } = await import('../shared/redact.ts');
        redactor.addSecret(uiToken, 'environment variable VAULTLINE_UI_TOKEN');
      }
      const server = await startServer({
        config,
        ...(uiToken ? { uiToken } : {}),
        clock: systemOrchestratorClock,
        ...(port !== undefined ? { port } : {}),
        ...(flags.host ? { host: flags.host } : {}),
        schedule: flags.schedule,
      });
      const jobs = Object.entries(config.jobs);
      log().info(
        `vaultline serve: the UI at ${server.info.url}/ and the API under /api (pid ${process.pid}); ${jobs.length} job(s), ${Object.keys(config.sensors).length} sensor(s)${flags.schedule ? '' : ', scheduling off'}; stop with Ctrl-C or SIGTERM`,
      );
      const onSignal = (signal: NodeJS.Signals) => void server.stop(`${signal} received`);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await server.stopped;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log().info('vaultline serve: stopped');
    });
}
