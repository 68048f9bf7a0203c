/**
 * `vaultline export` through bin/vaultline.js on a copy of test/projects/basic: `--select marts` (a
 * folder name, as in dbt) writes every mart to `<schema>.<name>.parquet|csv` with the warehouse's row
 * counts; views export too; nothing is written when a selected relation was never built; a project
 * with errors is refused (exit 2).
 */

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engineFor } from '../src/engine/engine.ts';
import { describeRun, vaultline } from './helpers/cli.ts';
import { openProjectWarehouse } from './helpers/warehouse.ts';

const fixture = new URL('./projects/basic/', import.meta.url).pathname;

describe('vaultline export on test/projects/basic', () => {
  let dir = '';
  const cli = (...args: string[]) => vaultline(args, { cwd: dir });
  const query = async (sql: string) => {
    // The exported files are read back by an embedded scratch session, whatever the warehouse.
    const session = await engineFor('duckdb').openScratch(':memory:');
    try {
      return await session.query(sql);
    } finally {
      await session.close();
    }
  };
  const warehouseRows = async (relation: string) => {
    const session = await openProjectWarehouse(dir);
    try {
      return await session.query(`select * from ${relation} order by all`);
    } finally {
      await session.close();
    }
  };

  /** Values as text: a warehouse HUGEINT (bigint) and its exact Parquet DECIMAL (number) compare equal. */
  const text = (rows: Record<string, unknown>[]) =>
    rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])),
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-export-'));
    cpSync(fixture, dir, { recursive: true, filter: (src) => !/\/(\.vaultline|target)(\/|$)/.test(src) });
    for (const file of ['payloads/items-2026-01-01.json', 'payloads/items-2026-01-02.json']) {
      const run = await cli('land', file, '--source', 'demo', '--resource', 'items');
      assert.equal(run.code, 0, describeRun(run));
    }
    const build = await cli('build');
    assert.equal(build.code, 0, describeRun(build));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--select marts writes each mart to Parquet with its rows and types', async () => {
    const run = await cli('export', '--select', 'marts', '--format', 'parquet', '--out', 'exports', '--json');
    assert.equal(run.code, 0, describeRun(run));
    const doc = JSON.parse(run.out) as {
      files: { relation: string; file: string; rows: number; bytes: number }[];
    };
    assert.deepEqual(
      doc.files.map((f) => [f.relation, f.file.slice(dir.length + 1)]),
      [
        ['marts.category_summary', 'exports/marts.category_summary.parquet'],
        ['marts.dim_items', 'exports/marts.dim_items.parquet'],
      ],
    );
    for (const f of doc.files) {
      const expected = await warehouseRows(f.relation);
      assert.equal(f.rows, expected.length);
      assert.ok(f.bytes > 0);
      assert.deepEqual(
        text(await query(`select * from read_parquet('${f.file}') order by all`)),
        text(expected),
      );
    }
    const types = await query(
      `select column_name, column_type from (describe select * from read_parquet('${join(dir, 'exports/marts.dim_items.parquet')}')) where column_name = 'price'`,
    );
    assert.deepEqual(types, [{ column_name: 'price', column_type: 'DECIMAL(10,2)' }]);
    // sum() of integers is a 128-bit integer in DuckDB; Parquet gets it as an exact DECIMAL(38,0), not DOUBLE.
    const sums = await query(
      `select column_type from (describe select * from read_parquet('${join(dir, 'exports/marts.category_summary.parquet')}')) where column_name = 'total_price_cents'`,
    );
    assert.deepEqual(sums, [{ column_type: 'DECIMAL(38,0)' }]);
    assert.deepEqual(
      readdirSync(join(dir, 'exports')).sort(),
      ['marts.category_summary.parquet', 'marts.dim_items.parquet'],
      'no temporary files left behind',
    );
  });

  test('CSV, a table printed with row counts, path: and tag: selectors select the same', async () => {
    const run = await cli('export', '--select', 'path:models/marts', '--format', 'csv', '--out', 'csv');
    assert.equal(run.code, 0, describeRun(run));
    assert.match(run.out, /marts\.category_summary\s+table\s+csv\/marts\.category_summary\.csv\s+3/);
    assert.match(run.out, /marts\.dim_items\s+table\s+csv\/marts\.dim_items\.csv\s+5/);
    assert.match(run.out, /2 relation\(s\) exported .* as csv, 8 row\(s\) in all/);
    const csv = readFileSync(join(dir, 'csv/marts.category_summary.csv'), 'utf8');
    assert.equal(csv.split('\n')[0], 'category_code,item_count,total_price_cents');
    assert.equal(csv.trim().split('\n').length, 4);
    const byTag = await cli(
      'export',
      '--select',
      'tag:marts',
      '--format',
      'csv',
      '--out',
      'csv-tag',
      '--json',
    );
    assert.equal(byTag.code, 0, describeRun(byTag));
    assert.equal(JSON.parse(byTag.out).files.length, 2);
  });

  test('views and seeds export too; ephemeral models and tests are not relations', async () => {
    const run = await cli(
      'export',
      '--select',
      'stg_categories',
      'categories',
      'int_items_priced',
      '--out',
      'more',
      '--json',
    );
    assert.equal(run.code, 0, describeRun(run));
    const files = JSON.parse(run.out).files as { relation: string; kind: string; rows: number }[];
    assert.deepEqual(
      files.map((f) => [f.relation, f.kind, f.rows]),
      [
        ['seeds.categories', 'table', 4],
        ['staging.stg_categories', 'view', 4],
      ],
    );
  });

  test('a selected relation that was never built: nothing is written, the relation is named (exit 1)', async () => {
    writeFileSync(join(dir, 'models/marts/new_mart.sql'), "select 1 as one from {{ ref('dim_items') }}");
    try {
      const run = await cli('export', '--select', 'marts', '--out', 'partial');
      assert.equal(run.code, 1, describeRun(run));
      assert.match(
        run.stderr,
        /not in the warehouse yet: marts\.new_mart \(model\.basic\.new_mart\)\. Build them first/,
      );
      assert.equal(existsSync(join(dir, 'partial')), false);
    } finally {
      rmSync(join(dir, 'models/marts/new_mart.sql'));
    }
  });

  test('usage errors exit 2: a project with errors, an unknown format, a selection without relations', async () => {
    const bad = join(dir, 'models/marts/bad.sql');
    writeFileSync(bad, "select * from {{ ref('no_such_model') }}");
    try {
      const run = await cli('export', '--select', 'marts', '--out', 'never');
      assert.equal(run.code, 2, describeRun(run));
      assert.match(run.stderr, /has 1 error\(s\)/);
      assert.match(run.stderr, /no_such_model/);
      assert.equal(existsSync(join(dir, 'never')), false);
    } finally {
      rmSync(bad);
    }
    const format = await cli('export', '--select', 'marts', '--format', 'xlsx', '--out', 'never');
    assert.equal(format.code, 2, describeRun(format));
    assert.match(format.stderr, /--format must be one of parquet, csv/);
    const tests = await cli('export', '--select', 'resource_type:test', '--out', 'never');
    assert.equal(tests.code, 2, describeRun(tests));
    assert.match(tests.stderr, /no model, seed or vault relation to export/);
  });
});
