import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliRun, describeRun, vaultline } from './helpers/cli.ts';

/**
 * End to end: `vaultline parse`, `ls` and `compile` on the fixture projects, each in its own process.
 * The projects are copied to a temp folder so compile's output never lands in the repository.
 */
const FIXTURES = new URL('./projects', import.meta.url).pathname;
const GOLDEN = new URL('./golden/project/basic', import.meta.url).pathname;

let scratch: string;
let basic: string;
let broken: string;
before(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'vaultline-project-cli-')));
  basic = join(scratch, 'basic');
  broken = join(scratch, 'broken');
  await cp(join(FIXTURES, 'basic'), basic, { recursive: true });
  await cp(join(FIXTURES, 'broken'), broken, { recursive: true });
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const expectCode = (run: CliRun, code: number) => assert.equal(run.code, code, describeRun(run));

describe('vaultline parse', () => {
  test('a project with a cycle, an unknown ref and a YAML error: exit 2, all three with file:line', async () => {
    const run = await vaultline(['parse'], { cwd: broken });
    expectCode(run, 2);
    const lines = run.out.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, 3).map((l) => l.split(': ')[0]),
      ['models/orders.sql:1', 'models/revenue.sql:2', 'models/schema.yml:4'],
    );
    assert.match(lines[0]!, /dependency cycle: orders → customers → orders/);
    assert.match(lines[1]!, /did you mean ref\('orders'\)\?/);
    assert.match(lines[2]!, /YAML syntax/);
    assert.equal(lines[3], '3 error(s), 0 warning(s) in broken');
    assert.match(run.stderr, /error: the project has 3 error\(s\)/);
  });

  test('a clean project: a one-line summary, exit 0', async () => {
    const run = await vaultline(['parse'], { cwd: join(basic, 'models') });
    expectCode(run, 0);
    assert.equal(run.out.trim(), 'basic: 5 models, 1 source, 16 tests, 1 seed, 5 macros');
  });

  test('other commands refuse a project with errors', async () => {
    const run = await vaultline(['ls'], { cwd: broken });
    expectCode(run, 2);
    assert.match(run.stderr, /project broken has 3 error\(s\)/);
    assert.match(run.stderr, /models\/revenue.sql:2/);
  });
});

describe('vaultline ls', () => {
  test('selection with graph operators, resource types and outputs', async () => {
    const [names, json] = await Promise.all([
      vaultline(['ls', '--select', '+dim_items', '--resource-type', 'model', 'seed', 'source'], {
        cwd: basic,
      }),
      vaultline(
        ['ls', '-s', 'tag:marts', 'source:demo', '--exclude', 'resource_type:test', '--output', 'json'],
        { cwd: basic },
      ),
    ]);
    expectCode(names, 0);
    assert.deepEqual(names.out.trim().split('\n'), [
      'categories',
      'demo.items',
      'dim_items',
      'int_items_priced',
      'stg_categories',
      'stg_items',
    ]);
    expectCode(json, 0);
    const lines = json.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { unique_id: string; path: string; resource_type: string });
    assert.deepEqual(
      lines.map((l) => [l.unique_id, l.path]),
      [
        ['source.basic.demo.items', 'models/staging/_sources.yml'],
        ['model.basic.category_summary', 'models/marts/category_summary.sql'],
        ['model.basic.dim_items', 'models/marts/dim_items.sql'],
      ],
    );
  });

  test('an intersection that matches nothing warns and suggests a union; sources: suggests source:', async () => {
    const [comma, typo] = await Promise.all([
      vaultline(['ls', '--select', 'path:models/staging,path:models/marts'], { cwd: basic }),
      vaultline(['ls', '--select', 'sources:demo'], { cwd: basic }),
    ]);
    expectCode(comma, 0);
    assert.equal(comma.out, '');
    assert.match(comma.stderr, /a comma means AND/);
    assert.match(comma.stderr, /separate with spaces: --select "path:models\/staging path:models\/marts"/);
    expectCode(typo, 2);
    assert.match(typo.stderr, /unknown selector method "sources:" — did you mean source:\?/);
  });
});

describe('vaultline compile', () => {
  test('writes the compiled SQL of every model and test under target/compiled/, with --vars applied', async () => {
    const run = await vaultline(['--json', 'compile', '--vars', '{currency: USD}'], { cwd: basic });
    expectCode(run, 0);
    const { written } = JSON.parse(run.out) as { written: { unique_id: string; path: string }[] };
    assert.equal(written.length, 21);
    assert.ok(written.every((w) => w.path.startsWith('target/compiled/')));
    for (const path of [
      'models/staging/_staging.yml/not_null_stg_items_item_id.sql',
      'tests/assert_summary_matches_items.sql',
    ]) {
      assert.equal(
        await readFile(join(basic, 'target/compiled', path), 'utf8'),
        await readFile(join(GOLDEN, path), 'utf8'),
        path,
      );
    }
    const dim = await readFile(join(basic, 'target/compiled/models/marts/dim_items.sql'), 'utf8');
    const golden = await readFile(join(GOLDEN, 'models/marts/dim_items.sql'), 'utf8');
    assert.equal(dim, golden.replace("'EUR' as currency", "'USD' as currency"));
  });
});
