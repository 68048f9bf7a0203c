/**
 * End to end through bin/vaultline.js on a copy of test/projects/basic: land payloads, build, build
 * again with nothing new (no row changes), land one more (the incremental model reads exactly that
 * object, per the load audit), a failing test skipping its dependents, a model SQL error leaving the
 * previous table intact, a project error exiting 2, and the warehouse single-writer message.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { openProjectWarehouse } from './helpers/warehouse.ts';

const fixture = new URL('./projects/basic/', import.meta.url).pathname;

describe('vaultline build on test/projects/basic', () => {
  let dir = '';
  const cli = (...args: string[]) => vaultline(args, { cwd: dir });
  const warehouse = () => join(dir, '.vaultline/warehouse.duckdb');
  const query = async (sql: string) => {
    const session = await openProjectWarehouse(dir);
    try {
      return await session.query(sql);
    } finally {
      await session.close();
    }
  };
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const t of ['seeds.categories', 'staging.stg_items', 'marts.dim_items', 'marts.category_summary']) {
      out[t] = await query(`select * from ${t} order by all`);
    }
    return out;
  };
  const land = async (file: string) => {
    const run = await cli('land', file, '--source', 'demo', '--resource', 'items');
    assert.equal(run.code, 0, describeRun(run));
    return run.out.trim();
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-basic-'));
    cpSync(fixture, dir, { recursive: true, filter: (src) => !/\/(\.vaultline|target)(\/|$)/.test(src) });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('first build: seeds, models and tests all succeed', async () => {
    await land('payloads/items-2026-01-01.json');
    const run = await cli('build');
    assert.equal(run.code, 0, describeRun(run));
    assert.match(run.out, /staging\.stg_items\s+incremental\s+SUCCESS\s+4/);
    assert.match(run.out, /Done: \d+ node\(s\) — \d+ success, \d+ pass in/);
    assert.match(run.stderr, /START seed seeds\.categories/, 'progress on stderr');
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    assert.equal(results.success, true);
    assert.ok(
      results.results.some(
        (r: { unique_id: string; status: string }) =>
          r.unique_id === 'model.basic.dim_items' && r.status === 'success',
      ),
    );
    const runs = await query('select command, success from vaultline_meta.runs');
    assert.deepEqual(runs, [{ command: 'build', success: true }]);
  });

  test('a second build with nothing new landed changes no row', async () => {
    const before = await snapshot();
    const auditBefore = await query('select * from vaultline_meta.load_audit order by all');
    const run = await cli('build', '--json');
    assert.equal(run.code, 0, describeRun(run));
    const doc = JSON.parse(run.out);
    const stg = doc.results.find((r: { unique_id: string }) => r.unique_id === 'model.basic.stg_items');
    assert.equal(stg.rows_affected, 0);
    assert.deepEqual(await snapshot(), before);
    assert.deepEqual(await query('select * from vaultline_meta.load_audit order by all'), auditBefore);
  });

  test('after one more payload, the incremental model reads exactly that object', async () => {
    const key = await land('payloads/items-2026-01-02.json');
    const run = await cli('build', '--json');
    assert.equal(run.code, 0, describeRun(run));
    const doc = JSON.parse(run.out);
    const runId = doc.metadata.run_id;
    const audit = await query(
      `select landing_key, row_count, status from vaultline_meta.load_audit where run_id = '${runId}' and model_unique_id = 'model.basic.stg_items'`,
    );
    assert.deepEqual(audit, [{ landing_key: key, row_count: 2n, status: 'loaded' }]);
    const items = await query('select item_id, price from staging.stg_items order by item_id');
    assert.deepEqual(
      items.map((r) => [r.item_id, Number(r.price)]),
      [
        [1, 12.5],
        [2, 22.5],
        [3, 49],
        [4, 18],
        [5, 7.25],
      ],
    );
  });

  test('a model SQL error leaves its previous table intact (exit 1)', async () => {
    const file = join(dir, 'models/marts/dim_items.sql');
    const original = readFileSync(file, 'utf8');
    const before = await query('select * from marts.dim_items order by all');
    writeFileSync(file, original.replace('price_cents,', 'price_cents, cast(item_name as integer) as boom,'));
    try {
      const run = await cli('build', '--select', 'dim_items+');
      assert.equal(run.code, 1, describeRun(run));
      assert.match(run.out, /ERROR marts\.dim_items: models\/marts\/dim_items\.sql(:\d+)?: Conversion Error/);
      assert.match(run.out, /SKIPPED marts\.category_summary: skipped: upstream model dim_items errored/);
    } finally {
      writeFileSync(file, original);
    }
    assert.deepEqual(await query('select * from marts.dim_items order by all'), before);
  });

  test('a failing error-severity test skips its dependents with the reason (exit 1)', async () => {
    writeFileSync(
      join(dir, 'payloads/toys.json'),
      '[{"id": 9, "name": "Kite", "category": "toys", "price": 5}]',
    );
    await land('payloads/toys.json');
    const run = await cli('build');
    assert.equal(run.code, 1, describeRun(run));
    assert.match(
      run.out,
      /FAIL accepted_values_stg_items_category_code__tools__garden__kitchen: 1 failing row/,
    );
    assert.match(run.out, /"value_field":"toys"/);
    assert.match(
      run.out,
      /SKIPPED marts\.dim_items: skipped: upstream test accepted_values_stg_items_category_code__tools__garden__kitchen failed/,
    );
  });

  test('a project with an error exits 2 before running anything', async () => {
    const bad = join(dir, 'models/marts/bad.sql');
    writeFileSync(bad, "select * from {{ ref('no_such_model') }}");
    try {
      const run = await cli('build');
      assert.equal(run.code, 2, describeRun(run));
      assert.match(run.stderr, /bad\.sql.*no_such_model/);
    } finally {
      rmSync(bad);
    }
  });

  test('a warehouse held by another process: exit 1 naming the holder, nothing waits', async () => {
    const script = `
      import { DuckDBInstance } from '@duckdb/node-api';
      const instance = await DuckDBInstance.create(${JSON.stringify(warehouse())});
      await instance.connect();
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `;
    const holder = spawn(
      process.execPath,
      ['--title=nightly-etl-holder', '--input-type=module', '-e', script],
      {
        cwd: new URL('..', import.meta.url).pathname,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const run = await cli('run', '--select', 'stg_items');
      assert.equal(run.code, 1, describeRun(run));
      assert.match(run.stderr, new RegExp(`in use by process ${holder.pid} \\(.*nightly-etl-holder`));
      assert.match(run.stderr, /Wait for that command to finish or stop it/);
    } finally {
      holder.kill();
    }
    assert.ok(existsSync(warehouse()));
  });
});
