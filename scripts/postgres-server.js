// A throwaway PostgreSQL server for `npm test` (and the benchmarks): Debian's PostgreSQL binaries
// (installed by .ci/run), a fresh cluster in a temporary folder, listening on 127.0.0.1 only, with
// fsync off (tests never need durability). As root, the server runs as `nobody` (PostgreSQL refuses
// to run as root). `stop()` shuts it down and removes the folder; callers call it in `finally` and
// on signals, so a failing test run never leaves a server behind.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOBODY = 65534;

/** The folder holding initdb and postgres: $VAULTLINE_POSTGRES_BIN, PATH, or Debian's layout. */
export function findPostgresBin() {
  const candidates = [];
  if (process.env.VAULTLINE_POSTGRES_BIN) candidates.push(process.env.VAULTLINE_POSTGRES_BIN);
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join('/usr/lib/postgresql', version, 'bin'));
  } catch {
    // Not Debian's layout.
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a server; resolves to `{ url, port, stop }` once it accepts connections. */
export async function startPostgres({ log = () => {} } = {}) {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed: the PostgreSQL tests need initdb and postgres ' +
        '(Debian: apt-get install postgresql; .ci/run installs it), or set VAULTLINE_TEST_ENGINES=duckdb',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-pg-'));
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const ids = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  const data = join(dir, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...ids, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }
  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
      '-c',
      'log_min_messages=warning',
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  server.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => server.on('exit', resolve));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (server.exitCode === null) {
      server.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const isReady = join(bin, 'pg_isready');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`postgres exited (${server.exitCode}): ${stderr}`);
    }
    const ready = existsSync(isReady)
      ? spawnSync(isReady, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-q']).status === 0
      : existsSync(join(dir, `.s.PGSQL.${port}`));
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not accept connections within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`PostgreSQL ${bin} on 127.0.0.1:${port}`);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
}
