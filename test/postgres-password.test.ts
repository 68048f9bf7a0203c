/**
 * A PostgreSQL warehouse password never leaves the config: written in the URL or as `password:`,
 * it appears in no output of `config`, `build`, `tables` or a failed connection, in no file under
 * target/ or the landing store, and in no row of vaultline_meta. The throwaway server trusts
 * loopback connections, so the canary is sent but never checked.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeRun, vaultline } from './helpers/cli.ts';
import { type TestWarehouse, testEngines } from './helpers/engines.ts';

const CANARY = 'pg_canary0Pass9word7Value5';
const postgres = testEngines().find((e) => e.name === 'postgres');

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out = statSync(path).isDirectory() ? [...out, ...filesUnder(path)] : [...out, path];
  }
  return out;
}

describe('a PostgreSQL warehouse password stays secret', { skip: postgres === undefined }, () => {
  let dir = '';
  let warehouse: TestWarehouse;
  let url = '';
  const outputs: string[] = [];
  const cli = async (...args: string[]) => {
    const run = await vaultline(args, { cwd: dir, env: { WAREHOUSE_PASSWORD: CANARY } });
    outputs.push(`$ vaultline ${args.join(' ')}\n${run.out}\n${run.stderr}`);
    return run;
  };
  const writeConfig = (warehouseBlock: string) =>
    writeFileSync(join(dir, 'vaultline.yml'), `name: pg_secret\n${warehouseBlock}`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-pg-secret-'));
    warehouse = await postgres!.create(dir);
    const plain = new URL((warehouse.config as { url: string }).url);
    plain.password = CANARY;
    url = plain.toString();
    mkdirSync(join(dir, 'models'));
    mkdirSync(join(dir, 'seeds'));
    writeFileSync(join(dir, 'seeds', 'people.csv'), 'id,name\n1,Ada\n2,Grace\n');
    writeFileSync(
      join(dir, 'models', 'names.sql'),
      "select id, upper(name) as name from {{ ref('people') }}\n",
    );
    // Fails at run time: its error message and compiled SQL are artefacts too.
    writeFileSync(
      join(dir, 'models', 'broken.sql'),
      "{{ config(materialized='table') }}\nselect cast(name as integer) as n from {{ ref('people') }}\n",
    );
  });
  after(async () => {
    await warehouse.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('in the URL: config, build, tables and the artefacts never show it', async () => {
    writeConfig(`warehouse:\n  type: postgres\n  url: ${url}\n  sslmode: disable\n`);
    const config = await cli('config');
    assert.equal(config.code, 0, describeRun(config));
    const build = await cli('build');
    assert.equal(build.code, 1, `broken.sql fails, the rest builds: ${describeRun(build)}`);
    assert.match(build.out + build.stderr, /broken/);
    const tables = await cli('tables');
    assert.equal(tables.code, 0, describeRun(tables));
    assert.match(tables.out, /names/);
  });

  test('as password: from the environment, and in a failed connection', async () => {
    const parts = new URL(url);
    writeConfig(
      [
        'warehouse:',
        '  type: postgres',
        `  host: ${parts.hostname}`,
        `  port: ${parts.port}`,
        `  database: ${parts.pathname.slice(1)}`,
        '  user: postgres',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: vaultline.yml syntax
        '  password: ${WAREHOUSE_PASSWORD}',
        '  sslmode: disable',
        '',
      ].join('\n'),
    );
    const build = await cli('build', '--select', 'names');
    assert.equal(build.code, 0, describeRun(build));
    // Nothing listens on port 1: the error names host, port and database, never the password.
    writeConfig(
      `warehouse:\n  type: postgres\n  url: postgres://postgres:${CANARY}@127.0.0.1:1/nowhere\n  sslmode: disable\n  connect_timeout: 2\n`,
    );
    const refused = await cli('build');
    assert.notEqual(refused.code, 0, describeRun(refused));
    assert.match(refused.stderr + refused.out, /127\.0\.0\.1:1/);
  });

  test('no output, file or metadata row holds it', async () => {
    for (const output of outputs)
      assert.ok(!output.includes(CANARY), `an output holds the password:\n${output}`);
    // vaultline.yml is where the user wrote it; nothing vaultline writes may hold it.
    for (const file of filesUnder(dir).filter((f) => !f.endsWith('vaultline.yml'))) {
      assert.ok(!readFileSync(file).includes(CANARY), `${file} holds the password`);
    }
    const session = await warehouse.open();
    try {
      const tables = await session.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'vaultline_meta' AND table_type = 'BASE TABLE'",
      );
      assert.ok(tables.length > 3, 'the builds wrote run history');
      for (const { name } of tables) {
        const [hit] = await session.query<{ n: bigint }>(
          `SELECT count(*) AS n FROM vaultline_meta."${name}" t WHERE strpos(t::text, $1) > 0`,
          { params: [CANARY] },
        );
        assert.equal(hit?.n, 0n, `vaultline_meta.${name} holds the password`);
      }
    } finally {
      await session.close();
    }
  });
});
