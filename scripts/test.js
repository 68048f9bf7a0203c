#!/usr/bin/env node
// `npm test`: every *.test.ts under src/ and test/, run by Node's test runner through tsx.
// The file list is built here because Node 20 does not expand quoted globs and `node --test DIR`
// finds no .ts files (and would exit 0 having run nothing).
// `npm test -- landing` runs only the files whose path contains "landing".
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startPostgres } from './postgres-server.js';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const passThrough = process.argv.slice(2).filter((arg) => arg.startsWith('-'));

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = [...collect(join(root, 'src'), []), ...collect(join(root, 'test'), [])].filter(
  (file) => filters.length === 0 || filters.some((f) => file.includes(f)),
);
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}
// The engines the conformance suites run on (test/helpers/engines.ts). PostgreSQL is a throwaway
// server started here and stopped when the run ends, also when tests fail or the run is interrupted;
// VAULTLINE_TEST_POSTGRES_URL points the suites at a server of your own instead.
const engines = (process.env.VAULTLINE_TEST_ENGINES ?? 'duckdb,postgres').split(',').map((e) => e.trim());
let postgres;
if (engines.includes('postgres') && !process.env.VAULTLINE_TEST_POSTGRES_URL) {
  try {
    postgres = await startPostgres({ log: (line) => console.error(`# ${line}`) });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
const stopServer = async () => {
  await postgres?.stop().catch((error) => console.error(`stopping PostgreSQL: ${error}`));
};

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...passThrough, ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      VAULTLINE_TEST_ENGINES: engines.join(','),
      ...(postgres ? { VAULTLINE_TEST_POSTGRES_URL: postgres.url } : {}),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim(),
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
const status = await new Promise((resolve) => {
  child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  child.on('error', () => resolve(1));
});
await stopServer();
process.exit(status);
