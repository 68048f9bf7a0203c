import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../../src/config/load.ts';
import type { VaultlineConfig } from '../../src/config/schema.ts';
import { type Cassette, cassetteId, decodeBody } from '../../src/connectors/sdk/cassette.ts';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import type { SourceReport } from '../../src/connectors/sdk/report.ts';
import { type RunDeps, runJob } from '../../src/connectors/sdk/run.ts';
import type { Connector } from '../../src/connectors/sdk/types.ts';
import { LocalStore } from '../../src/landing/local-store.ts';
import type { LandingMetadata } from '../../src/landing/metadata.ts';
import { steppingClock } from '../../src/shared/clock.ts';

export const REPO = new URL('../../', import.meta.url).pathname;
export const BUNDLED = join(REPO, 'examples/cloud-dw-datavault/cassettes');

export interface Served {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (random port); `handle` sees each request and its index. */
export async function startServer(
  handle: (request: SeenRequest, index: number, baseUrl: string) => Served | Promise<Served>,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const open = new Set<ServerResponse>();
  let baseUrl = '';
  const server = createServer(async (req, res) => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    requests.push(seen);
    const served = await handle(seen, requests.length - 1, baseUrl);
    if (served.hang) {
      open.add(res);
      return;
    }
    const body =
      typeof served.body === 'string' ? Buffer.from(served.body) : (served.body ?? Buffer.alloc(0));
    res.writeHead(served.status ?? 200, {
      'content-type': 'application/json',
      ...served.headers,
      'content-length': body.length,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every cassette under `dir/<source>/`, by request identity. */
export async function loadCassettes(dir: string, source: string): Promise<Map<string, Cassette>> {
  const out = new Map<string, Cassette>();
  for (const name of (await readdir(join(dir, source))).sort()) {
    if (!name.endsWith('.json')) continue;
    const cassette = JSON.parse(await readFile(join(dir, source, name), 'utf8')) as Cassette;
    out.set(`GET ${cassette.request.path}`, cassette);
  }
  return out;
}

/**
 * Serves recorded payloads (the bundled cassettes) over real HTTP: the body bytes, status and headers
 * of the cassette whose request matches. Absolute URLs in Link headers keep pointing at the real host,
 * as they would behind a mirror; the SDK maps them back under the base URL.
 */
export async function cassetteServer(
  source: string,
  dir = BUNDLED,
): Promise<TestServer & { bodies: Map<string, Buffer> }> {
  const cassettes = await loadCassettes(dir, source);
  const bodies = new Map<string, Buffer>();
  const server = await startServer((request) => {
    const cassette = cassettes.get(`GET ${request.url}`);
    if (!cassette)
      return { status: 404, body: JSON.stringify({ message: `no cassette for ${request.url}` }) };
    const body = decodeBody(cassette.response);
    bodies.set(request.url, body);
    const { 'content-length': _length, ...headers } = cassette.response.headers;
    return { status: cassette.response.status, headers, body };
  });
  return Object.assign(server, { bodies });
}

export async function tempDir(prefix = 'vaultline-connectors-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function tempProject(
  yaml = '',
): Promise<{ dir: string; config: VaultlineConfig; cleanup(): Promise<void> }> {
  const dir = await tempDir();
  await writeFile(join(dir, 'vaultline.yml'), `name: test_project\n${yaml}`);
  return { dir, config: loadConfig(dir, {}), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface Extraction {
  report: SourceReport;
  store: LocalStore;
  sleeps: number[];
}

/**
 * Runs one source as the CLI would (prepare, then run), with sleeps recorded instead of waited and a
 * stepping clock, so retries and pacing are checked without wall-clock time.
 */
export async function extract(
  connector: Connector<unknown>,
  options: {
    flags?: Record<string, unknown>;
    env?: Record<string, string | undefined>;
    config?: VaultlineConfig;
    storeDir: string;
    deps?: Partial<RunDeps>;
  },
): Promise<Extraction> {
  const prepared = prepareJob(connector, {
    config: options.config,
    flags: { rate_limit: 0, ...options.flags },
    env: options.env ?? {},
    cwd: options.storeDir,
  });
  if (!prepared.job)
    throw new Error([...prepared.problems, ...prepared.diagnostics.map((d) => d.message)].join('\n'));
  const store = new LocalStore(join(options.storeDir, 'raw'));
  const sleeps: number[] = [];
  const report = await runJob(prepared.job, {
    store,
    runId: 'run-test-0001',
    clock: steppingClock(new Date('2025-01-15T12:00:00.000Z'), 1000),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options.deps,
  });
  return { report, store, sleeps };
}

/** Every landed object: sidecar and the gunzipped body bytes as stored. */
export async function landed(
  store: LocalStore,
  prefix = '',
): Promise<{ meta: LandingMetadata; body: Buffer }[]> {
  const out: { meta: LandingMetadata; body: Buffer }[] = [];
  for await (const object of store.list(prefix)) {
    const meta = await store.getMeta(object.key);
    out.push({ meta, body: gunzipSync(await store.readEntry(object.key)) });
  }
  return out;
}

/** Every file under `dir`, gzip bodies gunzipped, as text: for "the secret appears nowhere" checks. */
export async function allText(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const bytes = await readFile(path);
        parts.push(`${path}\n${bytes.toString('utf8')}`);
        if (entry.name.endsWith('.gz')) parts.push(gunzipSync(bytes).toString('utf8'));
      }
    }
  };
  await walk(dir);
  return parts.join('\n');
}

export { cassetteId };

/** The example's `connectors:` block (cassettes/connectors.yml), replaying from `replayDir`. */
export async function exampleConnectorsYaml(replayDir = BUNDLED): Promise<string> {
  const text = await readFile(join(BUNDLED, 'connectors.yml'), 'utf8');
  return text.replaceAll('replay: cassettes', `replay: ${JSON.stringify(replayDir)}`);
}
