/**
 * DESIGN.md Safety end to end, through bin/vaultline.js with the real renderer: the issue's injection
 * (`--vars` closing the quote of `'{{ var("code") }}'` and adding `DROP TABLE vault.hub_country`)
 * fails that model before anything runs and the table survives; the same value through
 * `| sql_literal` is just a string; `show --inline` refuses DROP, COPY and ATTACH and writes nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { warehouseQuery } from './helpers/warehouse.ts';

const INJECTION = "3917'; DROP TABLE vault.hub_country; --";

const FILES: Record<string, string> = {
  'vaultline.yml': 'name: safety\n',
  'models/vault/hub_country.sql':
    "{{ config(materialized='table', schema='vault') }}\nselect 1 as id, 'ZA' as code union all select 2, 'BR'\n",
  'models/pick.sql':
    "{{ config(materialized='table') }}\nselect * from {{ ref('hub_country') }}\nwhere code = '{{ var(\"code\", \"ZA\") }}'\n",
  'models/pick_quoted.sql':
    '{{ config(materialized=\'table\') }}\nselect * from {{ ref(\'hub_country\') }}\nwhere code = {{ var("code", "ZA") | sql_literal }}\n',
};

describe('vaultline run and show refuse SQL that would run more than one query', () => {
  let dir = '';
  const cli = (...args: string[]) => vaultline(args, { cwd: dir });
  const query = warehouseQuery(() => dir);
  const countries = () => query('select count(*)::int as n from vault.hub_country');
  const files = () => readdirSync(dir, { recursive: true }).map(String).sort();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-safety-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = await cli('run');
    assert.equal(run.code, 0, describeRun(run));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--vars injection fails its model before it runs; the sql_literal model treats it as a string', async () => {
    const run = await cli('run', '--vars', JSON.stringify({ code: INJECTION }));
    assert.equal(run.code, 1, describeRun(run));
    assert.match(
      run.out + run.stderr,
      /models\/pick\.sql: model pick: its SQL holds 2 statements \(the second begins on compiled line 2: where code = '3917'; DROP TABLE vault\.hub_country; --'\), and a model runs exactly one query; nothing ran/,
    );
    assert.deepEqual(await countries(), [{ n: 2 }]);
    assert.deepEqual(await query('select code from main.pick'), [{ code: 'ZA' }], 'pick keeps its table');
    assert.deepEqual(await query('select count(*)::int as n from main.pick_quoted'), [{ n: 0 }]);
  });

  test('show --inline: DROP, COPY, ATTACH and --vars injection fail and change nothing; a SELECT works', async () => {
    const before = files();
    const outside = join(dir, 'x.csv');
    for (const [args, pattern] of [
      [['--inline', 'DROP TABLE vault.hub_country'], /--inline: inline query: its SQL is a DROP statement/],
      [['--inline', `COPY (SELECT 1) TO '${outside}'`], /is a COPY statement, not a query/],
      [['--inline', `ATTACH '${join(dir, 'evil.duckdb')}' AS evil`], /is an ATTACH statement/],
      [['--inline', 'select 1; drop table vault.hub_country'], /--inline: inline query: its SQL holds 2/],
      [
        ['--select', 'pick', '--vars', JSON.stringify({ code: INJECTION })],
        /models\/pick\.sql: model pick: its SQL holds 2/,
      ],
    ] as const) {
      const run = await cli('show', ...args);
      assert.equal(run.code, 1, describeRun(run));
      assert.match(run.stderr, pattern);
    }
    assert.deepEqual(await countries(), [{ n: 2 }]);
    assert.deepEqual(files(), before);
    assert.equal(existsSync(outside), false);

    const ok = await cli(
      'show',
      '--json',
      '--inline',
      "select count(*) as n from {{ ref('hub_country') }}; -- all",
    );
    assert.equal(ok.code, 0, describeRun(ok));
    assert.deepEqual(JSON.parse(ok.out).rows, [{ n: 2 }]);
  });
});
