import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { openOrchestratorStores } from '../../src/orchestrator/store/open.ts';
import { openWarehouse } from '../../src/run/warehouse.ts';
import { describeRun, vaultline } from '../helpers/cli.ts';
import { until as untilWithin } from './helpers/project.ts';

const until = <T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string) =>
  untilWithin(probe, what, 120_000);

/**
 * SIGTERM while a job's build is running: the server cancels the statement through the engine, the
 * node's transaction rolls back (the table keeps its previous contents), the run is recorded as
 * cancelled, the server exits 0 and removes server.json.
 */
const BIN = new URL('../../bin/vaultline.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vaultline-sigterm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('SIGTERM cancels the running step through the engine and leaves its table as it was', {
  timeout: 300_000,
}, async () => {
  mkdirSync(join(dir, 'models'));
  writeFileSync(
    join(dir, 'models', 'totals.sql'),
    "{{ config(materialized='table') }}\n{% if var('slow', false) %}select count(*) as n from range(100000000) a, range(100000) b where a.range * b.range = -1{% else %}select 1 as n{% endif %}\n",
  );
  writeFileSync(
    join(dir, 'vaultline.yml'),
    'name: p\njobs:\n  heavy:\n    steps: ["build --select totals --vars \'{slow: true}\'", "build --select totals"]\nserve: {port: 0}\n',
  );
  const first = await vaultline(['build', '--select', 'totals'], { cwd: dir });
  assert.equal(first.code, 0, describeRun(first));

  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve', '--no-schedule'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const infoPath = join(dir, '.vaultline', 'orchestrator', 'server.json');
    const info = await until(
      () =>
        existsSync(infoPath)
          ? (JSON.parse(readFileSync(infoPath, 'utf8')) as { url: string; token: string })
          : undefined,
      'server.json',
    );
    const response = await fetch(`${info.url}/api/jobs/heavy/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.token}` },
    });
    assert.equal(response.status, 202);
    const { run } = (await response.json()) as { run: string };
    const config = loadConfig(dir, {});
    const stores = openOrchestratorStores(config);
    await until(
      () => (stores.runs.get(run)?.steps[0]?.status === 'running' ? true : undefined),
      'the step to start',
    );
    // Let the statement get going inside the engine.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, log);
    assert.equal(existsSync(infoPath), false, 'server.json removed');

    const record = stores.runs.get(run);
    assert.equal(record?.status, 'cancelled', JSON.stringify(record));
    assert.deepEqual(
      record?.steps.map((s) => s.status),
      ['cancelled', 'skipped'],
    );
    assert.match(record?.error?.message ?? '', /server is stopping/);
    const { session } = await openWarehouse(config);
    try {
      assert.deepEqual(await session.query('select n from main.totals'), [{ n: 1 }]);
    } finally {
      await session.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
