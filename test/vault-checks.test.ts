/**
 * The vault in a real project build, for what issue 10 found only the hard way: column mistakes in the
 * vault YAML are caught before the build changes anything (exit 2, file:line); a failed vault load
 * keeps its SQL and says how to fix it; the project's hash_key macro is what hashes; `compile` writes
 * vault entities.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load.ts';
import { landPayload } from '../src/landing/land.ts';
import { openLandingStore } from '../src/landing/open-store.ts';
import { loadCheckedProject } from '../src/project/load-project.ts';
import { renderNode } from '../src/project/render.ts';
import { selectNodes } from '../src/project/selection/select.ts';
import { runProject } from '../src/run/run-project.ts';
import { registerVaultBuilder } from '../src/run/vault-builder.ts';
import { steppingClock } from '../src/shared/clock.ts';
import { describeRun, vaultline } from './helpers/cli.ts';
import { openProjectWarehouse } from './helpers/warehouse.ts';

const fixture = new URL('./projects/basic/', import.meta.url).pathname;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const GOOD_VAULT = `vault:
  hubs:
    - name: hub_item
      business_key: [item_id]
      sources: [stg_items]
  satellites:
    - name: sat_item
      parent: hub_item
      source: stg_items
      attributes: [item_name, price]
`;

/** A copy of test/projects/basic with `models/vault.yml` and the first payload landed. */
async function project(vaultYaml: string, days: number[] = [1]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vaultline-vault-checks-'));
  dirs.push(dir);
  cpSync(fixture, dir, { recursive: true });
  rmSync(join(dir, '.vaultline'), { recursive: true, force: true });
  writeFileSync(join(dir, 'models/vault.yml'), vaultYaml);
  for (const d of days) await land(dir, d);
  return dir;
}

async function land(dir: string, day: number): Promise<void> {
  const file = `items-2026-01-0${day}.json`;
  await landPayload(
    openLandingStore(loadConfig(dir, {})),
    {
      source: 'demo',
      resource: 'items',
      body: readFileSync(join(dir, 'payloads', file)),
      request: { method: 'FILE', url: `file:///${file}` },
      connector: { name: 'test', version: '0' },
      runId: `r${day}`,
    },
    steppingClock(new Date(`2026-01-0${day}T06:00:00Z`)),
  );
}

async function build(dir: string, select?: string[]) {
  const config = loadConfig(dir, {});
  const graph = await loadCheckedProject(config);
  registerVaultBuilder();
  return runProject({
    config,
    selected: selectNodes(graph, { select }),
    command: 'build',
    render: renderNode,
    version: 'test',
    warn: () => undefined,
  });
}

async function query<T = Record<string, unknown>>(dir: string, sql: string): Promise<T[]> {
  const session = await openProjectWarehouse(dir);
  try {
    return await session.query<T & Record<string, unknown>>(sql);
  } finally {
    await session.close();
  }
}

/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('vault preflight: columns the vault YAML names are checked before the build changes anything', () => {
  const BAD_VAULT = `${GOOD_VAULT}      sequence: [item_seq]
    - name: sat_item_more
      parent: hub_item
      source: stg_items
      attributes: [item_name, colour]
  pits:
    - name: pit_item
      parent: hub_item
      satellites: [sat_item]
      as_of: {model: stg_items, column: as_of_day}
`;

  test('a missing attribute, sequence column and PIT as_of column: exit 2, each at its YAML line, staging untouched', async () => {
    const dir = await project(GOOD_VAULT);
    const first = await build(dir);
    assert.equal(
      first.result.success,
      true,
      JSON.stringify(first.result.results.filter((r) => r.status === 'error')),
    );
    const before = await query(dir, 'SELECT count(*) AS n, max(_load_ts) AS newest FROM staging.stg_items');

    // New data landed and a broken vault YAML: the build must refuse before rebuilding staging.
    await land(dir, 2);
    writeFileSync(join(dir, 'models/vault.yml'), BAD_VAULT);
    const runsBefore = await query(dir, 'SELECT count(*) AS n FROM vaultline_meta.runs');
    const run = await vaultline(['build'], { cwd: dir });
    assert.equal(run.code, 2, describeRun(run));
    const where = (needle: string) => `models/vault.yml:${lineOf(BAD_VAULT, needle)}`;
    assert.match(run.stderr, /3 vault column problem\(s\) found before the run started/);
    assert.ok(
      run.stderr.includes(`${where('sequence: [item_seq]')}: sat_item: stg_items has no column item_seq`),
      run.stderr,
    );
    assert.ok(
      run.stderr.includes(
        `${where('attributes: [item_name, colour]')}: sat_item_more: stg_items has no column colour (attribute)`,
      ),
      run.stderr,
    );
    assert.ok(
      run.stderr.includes(
        `${where('as_of: {model')}: pit_item: stg_items has no column as_of_day (as_of column)`,
      ),
      run.stderr,
    );

    assert.deepEqual(
      await query(dir, 'SELECT count(*) AS n, max(_load_ts) AS newest FROM staging.stg_items'),
      before,
      'staging was not rebuilt',
    );
    assert.deepEqual(
      await query(dir, 'SELECT count(*) AS n FROM vaultline_meta.runs'),
      runsBefore,
      'no run started',
    );
  });

  test('on a first build (nothing in the warehouse), staging is described from its SQL over the source contract', async () => {
    const vault = GOOD_VAULT.replace('attributes: [item_name, price]', 'attributes: [item_name, prize]');
    const dir = await project(vault);
    // A typed contract: the source's columns are known before anything was read.
    const sources = join(dir, 'models/staging/_sources.yml');
    writeFileSync(
      sources,
      readFileSync(sources, 'utf8').replace(
        `          - name: id
            data_tests:
              - not_null`,
        `          - {name: id, data_type: bigint, data_tests: [not_null]}
          - {name: name, data_type: text}
          - {name: category, data_type: text}
          - {name: price, data_type: double}`,
      ),
    );
    const run = await vaultline(['build'], { cwd: dir });
    assert.equal(run.code, 2, describeRun(run));
    assert.ok(
      run.stderr.includes(
        `models/vault.yml:${lineOf(vault, 'prize')}: sat_item: stg_items has no column prize (attribute) (did you mean "price"?)`,
      ),
      run.stderr,
    );
    const [row] = await query<{ n: bigint }>(
      dir,
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema IN ('staging', 'vault', 'sources')",
    );
    assert.equal(row?.n, 0n, 'nothing was built');
  });
});

describe("the project's hash_key macro hashes the vault", () => {
  test('hub keys are the macro digest of the key text, and the fingerprint records the macro', async () => {
    const dir = await project(GOOD_VAULT);
    const macros = join(dir, 'macros/hashing.sql');
    // The brief's macros with another digest: md5 of the lower-cased key text.
    writeFileSync(
      macros,
      readFileSync(macros, 'utf8').replace('sha256(upper(trim({{ expr }})))', 'md5(lower({{ expr }}))'),
    );
    const { result } = await build(dir);
    assert.equal(result.success, true, JSON.stringify(result.results.filter((r) => r.status === 'error')));
    const rows = await query<{ item_id: number; hk_item: string }>(
      dir,
      'SELECT item_id, hk_item FROM vault.hub_item ORDER BY item_id',
    );
    assert.equal(rows.length, 4);
    for (const r of rows) {
      assert.equal(r.hk_item, createHash('md5').update(String(r.item_id)).digest('hex'));
    }
    const [fingerprint] = await query<{ fingerprint: string }>(
      dir,
      "SELECT fingerprint FROM vaultline_meta.vault_hashing WHERE entity = 'vault.hub_item'",
    );
    assert.match(JSON.parse(fingerprint!.fingerprint).hash_key_macro, /^[0-9a-f]{16}$/);
  });

  test('vaultline compile writes each vault entity with the macro applied', async () => {
    const dir = await project(GOOD_VAULT, []);
    const macros = join(dir, 'macros/hashing.sql');
    writeFileSync(
      macros,
      readFileSync(macros, 'utf8').replace('sha256(upper(trim({{ expr }})))', 'md5(lower({{ expr }}))'),
    );
    const run = await vaultline(['--json', 'compile', '--select', 'resource_type:vault'], { cwd: dir });
    assert.equal(run.code, 0, describeRun(run));
    const { written } = JSON.parse(run.out) as { written: { unique_id: string; path: string }[] };
    assert.deepEqual(
      written.filter((w) => w.unique_id.startsWith('vault.')).map((w) => [w.unique_id, w.path]),
      [
        ['vault.basic.hub_item', 'target/compiled/models/vault.yml/hub_item.sql'],
        ['vault.basic.sat_item', 'target/compiled/models/vault.yml/sat_item.sql'],
      ],
    );
    const hub = readFileSync(join(dir, 'target/compiled/models/vault.yml/hub_item.sql'), 'utf8');
    assert.match(hub, /INSERT INTO "vault"\."hub_item"/);
    assert.match(hub, /md5\(lower\(/);
    assert.ok(existsSync(join(dir, 'target/compiled/models/vault.yml/sat_item.sql')));
  });
});

describe('a failed vault load keeps its SQL and says how to fix it', () => {
  test('two sources typing one business key differently: error with the hint, compiled_sql with the failed statement', async () => {
    const dir = await project(
      GOOD_VAULT.replace('sources: [stg_items]', 'sources: [stg_items, stg_items_text]'),
    );
    writeFileSync(
      join(dir, 'models/staging/stg_items_text.sql'),
      "select 'item-' || item_id as item_id, _load_ts, _record_source from {{ ref('stg_items') }}\n",
    );
    const run = await vaultline(['--json', 'build', '--select', '+hub_item'], { cwd: dir });
    assert.equal(run.code, 1, describeRun(run));
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as {
      results: { unique_id: string; status: string; message: string; compiled_sql: string | null }[];
    };
    const hub = results.results.find((r) => r.unique_id === 'vault.basic.hub_item');
    assert.equal(hub?.status, 'error');
    assert.match(hub.message, /^hub_item: batch: .* failed: /);
    assert.match(
      hub.message,
      /hint: the business key is typed differently by hub_item's sources: item_id: item_id is INTEGER in stg_items but item_id is VARCHAR in stg_items_text/,
    );
    const sql = hub.compiled_sql ?? '';
    const label = /^-- (batch: [^\n]*)$/m.exec(sql.split(';\n\n').at(-1) ?? '')?.[1];
    assert.ok(
      label && hub.message.includes(label),
      `the failed statement comes last with its label:\n${sql}`,
    );
    assert.match(sql.split(';\n\n').at(-1) ?? '', /"stg_items_text"/);
  });
});
