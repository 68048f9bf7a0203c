// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${GITHUB_TOKEN} here is vaultline.yml syntax, not a JS template
/**
 * Secrets stay out of every artefact, end to end through bin/vaultline.js on real DuckDB. A canary
 * GITHUB_TOKEN reaches the project three ways: `${GITHUB_TOKEN}` in vaultline.yml (the github
 * connector's token, and a var), and `env_var('GITHUB_TOKEN')` in models and a test. After extract,
 * compile and build, no file under target/ or the landing store, no row of vaultline_meta, no
 * catalog entry and no byte of the DuckDB file holds it; a model whose engine error quotes it does not
 * leak it; a view whose stored SQL would hold it is refused, naming the file and the variable.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { describeRun, vaultline } from './helpers/cli.ts';
import { warehouseQuery } from './helpers/warehouse.ts';

const CANARY = 'ghp_canary0Secret9Token7Value5';
const CASSETTES = new URL('../examples/cloud-dw-datavault/cassettes', import.meta.url).pathname;

const FILES: Record<string, string> = {
  'vaultline.yml': [
    'name: secrets',
    'vars:',
    '  api_token: ${GITHUB_TOKEN}',
    'connectors:',
    '  github:',
    `    replay: ${CASSETTES}`,
    '    owner: octocat',
    '    repo: Hello-World',
    '    per_page: 5',
    '    token: ${GITHUB_TOKEN}',
    'models:',
    '  secrets:',
    '    +materialized: table',
    '',
  ].join('\n'),
  'models/_sources.yml': [
    'version: 2',
    'sources:',
    '  - name: github',
    '    tables:',
    '      - name: commits',
    '        landing: github/commits',
    "        records: '$[*]'",
    '        columns:',
    '          - {name: sha, data_type: text}',
    // A value pasted into a source's sql: (not templated) would be stored with the source's view.
    '      - name: commits_pasted',
    '        landing: github/commits',
    `        sql: "select json->>'sha' as sha from payload where '${CANARY}' <> ''"`,
    '',
  ].join('\n'),
  'models/from_pasted.sql': "select sha from {{ source('github', 'commits_pasted') }}\n",
  // The real value runs: the table holds its length (a number), never the value.
  'models/stg_commits.sql': [
    'select sha,',
    `  length('{{ env_var("GITHUB_TOKEN") }}') as token_length`,
    "from {{ source('github', 'commits') }}",
    "where '{{ var('api_token') }}' <> ''",
    '',
  ].join('\n'),
  // DuckDB's conversion error quotes the string it could not convert.
  'models/broken.sql': `select cast('{{ env_var("GITHUB_TOKEN") }}' as integer) as n\n`,
  'models/exposed.sql': [
    "{{ config(materialized='view') }}",
    "select sha from {{ ref('stg_commits') }}",
    `where '{{ env_var("GITHUB_TOKEN") }}' is not null`,
    '',
  ].join('\n'),
  'tests/token_is_used.sql': [
    '{{ config(store_failures=true) }}',
    "select * from {{ ref('stg_commits') }} where token_length <> length('{{ env_var('GITHUB_TOKEN') }}')",
    '',
  ].join('\n'),
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Files (gzip bodies unpacked too) whose bytes hold the canary, as UTF-8 or Latin-1. */
function filesWithCanary(paths: string[]): string[] {
  const needle = Buffer.from(CANARY);
  return paths.filter((path) => {
    const bytes = readFileSync(path);
    const unpacked = path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
    return bytes.includes(needle) || unpacked.includes(needle);
  });
}

describe('secrets never reach an artefact', () => {
  let dir = '';
  const env = { GITHUB_TOKEN: CANARY };
  const cli = (...args: string[]) => vaultline(args, { cwd: dir, env });
  const query = warehouseQuery(() => dir);
  let build: Awaited<ReturnType<typeof cli>>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-secrets-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const extract = await cli('extract', 'github');
    assert.equal(extract.code, 0, describeRun(extract));
    const compile = await cli('compile');
    assert.equal(compile.code, 0, describeRun(compile));
    build = await cli('build');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the build runs the real value, fails only the two models that must fail, and prints no secret', async () => {
    assert.equal(build.code, 1, describeRun(build));
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    const status = Object.fromEntries(
      results.results.map((r: { name: string; status: string }) => [r.name, r.status]),
    );
    assert.deepEqual(status, {
      stg_commits: 'success',
      broken: 'error',
      exposed: 'error',
      from_pasted: 'error',
      token_is_used: 'pass',
    });
    const [row] = await query<{ n: number; len: number }>(
      'select count(*)::int as n, min(token_length)::int as len from main.stg_commits',
    );
    assert.ok(row!.n > 0);
    assert.equal(row!.len, CANARY.length, 'the SQL that ran held the real value');
    assert.ok(!build.out.includes(CANARY) && !build.stderr.includes(CANARY), describeRun(build));
  });

  test('a view whose stored SQL would hold the secret is refused before it exists, naming file and variable', async () => {
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    const exposed = results.results.find((r: { name: string }) => r.name === 'exposed');
    assert.match(
      exposed.message,
      /^models\/exposed\.sql:3: model exposed is created as a view, whose SQL the warehouse stores in its catalog, and that SQL contains the value of environment variable GITHUB_TOKEN \(a secret\); refusing to create it\. Materialize it as a table \(config\(materialized='table'\)\)/,
    );
    const fromPasted = results.results.find((r: { name: string }) => r.name === 'from_pasted');
    assert.match(
      fromPasted.message,
      /^models\/_sources\.yml: source github\.commits_pasted is created as a view, .* contains the value of environment variable GITHUB_TOKEN \(a secret\); refusing to create it\. Keep the value out of its sql:/,
    );
    const views = await query(
      "select view_name from duckdb_views() where view_name in ('exposed', 'github__commits_pasted')",
    );
    assert.deepEqual(views, []);
  });

  test('the failing model’s engine error and compiled SQL are kept, with the value redacted', async () => {
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    const broken = results.results.find((r: { name: string }) => r.name === 'broken');
    assert.match(broken.message, /Could not convert string '\*\*\*' to INT32/);
    assert.match(broken.compiled_sql, /cast\('\*\*\*' as integer\)/);
    const compiled = readFileSync(join(dir, 'target/compiled/models/stg_commits.sql'), 'utf8');
    assert.match(compiled, /length\('\*\*\*'\) as token_length/);
    assert.match(compiled, /where '\*\*\*' <> ''/);
  });

  test('no file under target/ or the landing store holds the secret', () => {
    const files = [...filesUnder(join(dir, 'target')), ...filesUnder(join(dir, '.vaultline/raw'))];
    assert.ok(files.some((f) => f.includes('/compiled/')) && files.some((f) => f.endsWith('.meta.json')));
    assert.deepEqual(filesWithCanary(files), []);
  });

  test('vaultline_meta and the catalog hold no secret; neither does the DuckDB file once checkpointed', async () => {
    for (const table of ['runs', 'node_results', 'load_audit', 'raw_objects', 'quarantine', 'rejects']) {
      const rows = await query(`select * from vaultline_meta.${table}`);
      const text = JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v));
      assert.ok(!text.includes(CANARY), `vaultline_meta.${table}: ${text.slice(0, 500)}`);
    }
    const nodeResults = await query<{ n: number }>(
      "select count(*)::int as n from vaultline_meta.node_results where compiled_sql like '%***%'",
    );
    assert.ok(nodeResults[0]!.n >= 2, 'the compiled SQL is kept, redacted');
    // A table made by CREATE TABLE … AS keeps its columns, not the query: nothing in the catalog.
    const catalog = await query<{ sql: string | null }>(
      'select sql from duckdb_tables() union all select sql from duckdb_views()',
    );
    assert.ok(catalog.length > 0);
    assert.ok(catalog.every((c) => !c.sql?.includes(CANARY)));
    await query('checkpoint');
    const files = readdirSync(join(dir, '.vaultline')).filter((f) => f.startsWith('warehouse.duckdb'));
    assert.ok(files.includes('warehouse.duckdb'));
    assert.deepEqual(filesWithCanary(files.map((f) => join(dir, '.vaultline', f))), []);
    // The scan can see: the redacted compiled SQL kept in node_results is there in plain bytes (DuckDB
    // compresses big string columns, which would make a scan for a leaked value blind).
    const bytes = readFileSync(join(dir, '.vaultline/warehouse.duckdb'));
    assert.ok(
      bytes.includes(Buffer.from("length('***') as token_length")),
      'the byte scan sees node_results',
    );
  });
});
