import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { systemOrchestratorClock } from '../../src/orchestrator/clock.ts';
import { type RunningServer, startServer } from '../../src/orchestrator/server/serve.ts';
import { copyExample } from './example-project.ts';

export interface ServedProject {
  dir: string;
  server: RunningServer;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The orchestrator API's bearer token (server.json). */
  apiToken: string;
  stop(): Promise<void>;
}

/**
 * `vaultline serve` in this process on a copy of the example (or of `from`), on a free port, with the
 * scheduler off: what the UI tests browse. `prepare` may change the copy before the server starts.
 */
export async function serveExample(
  options: { from?: string; prepare?: (dir: string) => void; host?: string; uiToken?: string } = {},
): Promise<ServedProject> {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-ui-'));
  copyExample(dir, options.from);
  const yml = join(dir, 'vaultline.yml');
  writeFileSync(yml, `${readFileSync(yml, 'utf8')}\nserve: {port: 0}\n`);
  options.prepare?.(dir);
  const config = loadConfig(dir, {});
  const server = await startServer({
    config,
    clock: systemOrchestratorClock,
    schedule: false,
    ...(options.host ? { host: options.host } : {}),
    ...(options.uiToken ? { uiToken: options.uiToken } : {}),
  });
  const url = `http://127.0.0.1:${server.info.port}`;
  return {
    dir,
    server,
    url,
    apiToken: server.info.token,
    async stop() {
      await server.stop('test done');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
