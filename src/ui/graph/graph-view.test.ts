import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config/load.ts';
import type { VaultlineConfig } from '../../config/schema.ts';
import { graphView } from './graph-view.ts';
import { projectGraphCache } from './project-cache.ts';

describe('the lineage graph view and its cache', () => {
  let dir: string;
  let config: VaultlineConfig;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-graph-view-'));
    writeFileSync(join(dir, 'vaultline.yml'), 'name: gv\n');
    mkdirSync(join(dir, 'models', 'staging'), { recursive: true });
    mkdirSync(join(dir, 'models', 'marts'), { recursive: true });
    writeFileSync(join(dir, 'models', 'staging', 'stg_a.sql'), 'select 1 as id\n');
    writeFileSync(join(dir, 'models', 'mid.sql'), "select id from {{ ref('stg_a') }}\n");
    writeFileSync(join(dir, 'models', 'marts', 'mart_a.sql'), "select id from {{ ref('mid') }}\n");
    writeFileSync(
      join(dir, 'models', 'marts', '_marts.yml'),
      'version: 2\nmodels:\n  - name: mart_a\n    config: {tags: [finance]}\n    columns:\n      - name: id\n        tests: [not_null]\n',
    );
    config = loadConfig(dir, {});
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('selection syntax, search, kinds, tests on request, and the limit', async () => {
    const graph = await projectGraphCache(config).get();
    const all = graphView(graph);
    assert.deepEqual(
      all.nodes.map((n) => [n.name, n.kind]),
      [
        ['stg_a', 'staging'],
        ['mid', 'model'],
        ['mart_a', 'mart'],
      ],
    );
    assert.deepEqual(all.edges, [
      ['model.gv.stg_a', 'model.gv.mid'],
      ['model.gv.mid', 'model.gv.mart_a'],
    ]);
    assert.deepEqual(
      graphView(graph, { select: ['1+mart_a'] }).nodes.map((n) => n.name),
      ['mid', 'mart_a'],
    );
    assert.deepEqual(
      graphView(graph, { search: 'FINANCE' }).nodes.map((n) => n.name),
      ['mart_a'],
    );
    const withTests = graphView(graph, { select: ['mart_a'], tests: true });
    assert.deepEqual(
      withTests.nodes.map((n) => n.kind),
      ['mart', 'test'],
    );
    const cut = graphView(graph, { limit: 2 });
    assert.deepEqual([cut.nodes.length, cut.matched, cut.omitted, cut.edges.length], [2, 3, 1, 1]);
  });

  test('the cache reloads when a model file changes, not before the next check', async () => {
    let clock = 0;
    const cache = projectGraphCache(config, { now: () => clock, checkEveryMs: 1000 });
    const first = await cache.get();
    assert.equal(await cache.get(), first, 'unchanged files: the same graph');
    const file = join(dir, 'models', 'extra.sql');
    writeFileSync(file, "select id from {{ ref('mid') }}\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(await cache.get(), first, 'within the check interval: the cached graph');
    clock += 1000;
    const second = await cache.get();
    assert.notEqual(second, first);
    assert.ok(second.nodes.has('model.gv.extra'));
    rmSync(file);
  });
});
