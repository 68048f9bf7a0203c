/**
 * `store_failures` end to end through bin/vaultline.js on real DuckDB: a generic test (YAML `config:`),
 * one with `schema:`, a warn-severity one and a singular test (`{{ config(store_failures=true) }}`)
 * keep every failing row in `<schema>.<test name>`; the table is replaced on each run and empty when
 * the test passes; a warn test keeps the build at exit 0 (its dependents run) and still stores.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { warehouseQuery } from './helpers/warehouse.ts';

const FILES: Record<string, string> = {
  'vaultline.yml': 'name: sf\n',
  'models/stg_items.sql': "select id, name, price, category from {{ ref('items') }}\n",
  'models/dim_items.sql': "select * from {{ ref('stg_items') }}\n",
  'models/schema.yml': [
    'version: 2',
    'models:',
    '  - name: stg_items',
    '    columns:',
    '      - name: id',
    '        data_tests:',
    '          - not_null:',
    '              config: {store_failures: true}',
    '          - unique:',
    '              config: {store_failures: true, schema: audit}',
    '      - name: name',
    '        data_tests: [not_null]',
    '      - name: category',
    '        data_tests:',
    '          - accepted_values:',
    '              arguments: {values: [tools, garden]}',
    '              config: {severity: warn, store_failures: true}',
    '',
  ].join('\n'),
  'tests/assert_price_positive.sql': [
    '{{ config(store_failures=true) }}',
    "select id, name, price from {{ ref('stg_items') }} where price <= 0",
    '',
  ].join('\n'),
};

const NOT_NULL = 'vaultline_test_failures.not_null_stg_items_id';
const UNIQUE = 'audit.unique_stg_items_id';
const WARN = 'vaultline_test_failures.accepted_values_stg_items_category__tools__garden';
const SINGULAR = 'vaultline_test_failures.assert_price_positive';

interface Result {
  unique_id: string;
  name: string;
  status: string;
  message: string | null;
  failures: number | null;
  sample: unknown[] | null;
  relation_name: string | null;
}

describe('store_failures on data tests', () => {
  let dir = '';
  const cli = (...args: string[]) => vaultline(args, { cwd: dir });
  const query = warehouseQuery(() => dir);
  const count = async (table: string) =>
    Number((await query(`select count(*) as n from ${table}`))[0]?.n ?? Number.NaN);
  const seed = (rows: string[]) =>
    writeFileSync(join(dir, 'seeds/items.csv'), ['id,name,price,category', ...rows, ''].join('\n'));
  const clean = ['1,Hammer,12.5,tools', '2,Spade,20,garden', '3,Rake,9,garden'];
  const results = (): Result[] =>
    JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
  const result = (name: string): Result => {
    const found = results().find((r) => r.name === name);
    assert.ok(found, `no result for ${name}`);
    return found;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-store-failures-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    mkdirSync(join(dir, 'seeds'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a warn test stores its failing rows and the build still exits 0; passing tests leave empty tables', async () => {
    seed([...clean, '4,Kite,5,toys', '5,Ball,3,toys', '6,Chess,15,games']);
    const run = await cli('build');
    assert.equal(run.code, 0, describeRun(run));
    assert.match(
      run.out,
      new RegExp(`WARN accepted_values_stg_items_category__tools__garden: 2 failing rows stored in ${WARN}`),
    );
    assert.match(run.out, /main\.dim_items\s+view\s+SUCCESS/, 'a warn test skips nothing downstream');
    assert.deepEqual(await query(`select value_field, n_records from ${WARN} order by all`), [
      { value_field: 'games', n_records: 1n },
      { value_field: 'toys', n_records: 2n },
    ]);
    for (const table of [NOT_NULL, UNIQUE, SINGULAR]) assert.equal(await count(table), 0, `${table} empty`);
    const stored = await query(
      "select table_schema, table_name from information_schema.tables where table_schema in ('vaultline_test_failures', 'audit') order by all",
    );
    assert.deepEqual(
      stored.map((r) => `${r.table_schema}.${r.table_name}`),
      [UNIQUE, WARN, SINGULAR, NOT_NULL].sort(),
      'only the tests with store_failures get a table',
    );

    const warn = result('accepted_values_stg_items_category__tools__garden');
    assert.equal(warn.status, 'warn');
    assert.equal(
      warn.relation_name,
      '"vaultline_test_failures"."accepted_values_stg_items_category__tools__garden"',
    );
    assert.equal(result('unique_stg_items_id').relation_name, '"audit"."unique_stg_items_id"');
    assert.equal(result('not_null_stg_items_name').relation_name, null);
    assert.equal(result('dim_items').relation_name, null);
    const [history] = await query(
      "select status, message, failures from vaultline_meta.node_results where unique_id = 'test.sf.accepted_values_stg_items_category__tools__garden'",
    );
    assert.deepEqual(history, { status: 'warn', message: `2 failing rows stored in ${WARN}`, failures: 2n });
  });

  test('failing error tests store every failing row (not a sample) and fail the build', async () => {
    const nulls = Array.from({ length: 7 }, (_, i) => `,Nameless ${i},1,tools`);
    seed([...clean, ...nulls, '8,Broken,-1,tools']);
    const run = await cli('build');
    assert.equal(run.code, 1, describeRun(run));
    assert.match(run.out, new RegExp(`FAIL not_null_stg_items_id: 7 failing rows stored in ${NOT_NULL}`));
    assert.match(run.out, new RegExp(`FAIL assert_price_positive: 1 failing row stored in ${SINGULAR}`));
    assert.match(run.out, /SKIPPED main\.dim_items: skipped: upstream test/);
    assert.equal(await count(NOT_NULL), 7);
    assert.deepEqual(
      (await query(`select name from ${NOT_NULL} order by name`)).map((r) => r.name),
      nulls.map((_, i) => `Nameless ${i}`),
    );
    assert.deepEqual(await query(`select id, name, price from ${SINGULAR}`), [
      { id: 8n, name: 'Broken', price: -1 },
    ]);
    const notNull = result('not_null_stg_items_id');
    assert.equal(notNull.failures, 7);
    assert.equal(notNull.sample?.length, 5, 'the result keeps its sample of five');
    assert.equal(
      result('assert_price_positive').relation_name,
      '"vaultline_test_failures"."assert_price_positive"',
    );
  });

  test('each run replaces the table: the same failures, other failures, then none', async () => {
    const again = await cli('test', '--select', 'not_null_stg_items_id');
    assert.equal(again.code, 1, describeRun(again));
    assert.equal(await count(NOT_NULL), 7, 'a rerun replaces the rows, it does not append them');

    seed([...clean, ',Ghost,1,tools', ',Phantom,2,garden', ',Shade,3,garden']);
    const build = await cli('build');
    assert.equal(build.code, 1, describeRun(build));
    assert.deepEqual(
      (await query(`select name from ${NOT_NULL} order by name`)).map((r) => r.name),
      ['Ghost', 'Phantom', 'Shade'],
    );
    assert.equal(await count(SINGULAR), 0, 'the singular test passes now: its table is emptied');

    seed(clean);
    const fixed = await cli('build');
    assert.equal(fixed.code, 0, describeRun(fixed));
    for (const table of [NOT_NULL, UNIQUE, WARN, SINGULAR])
      assert.equal(await count(table), 0, `${table} empty`);
    assert.equal(result('not_null_stg_items_id').status, 'pass');
    assert.equal(result('not_null_stg_items_id').message, null);
  });
});
