import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { compileContext, compiledPath } from '../src/cli/compile.ts';
import { loadConfig } from '../src/config/load.ts';
import { renderWithEphemerals } from '../src/project/ephemeral.ts';
import { loadProject } from '../src/project/load-project.ts';
import { relationName } from '../src/project/relations.ts';
import { topologicalOrder } from '../src/project/resolve-graph.ts';
import type { GraphNode, ProjectGraph } from '../src/project/types.ts';

/**
 * Golden files: the SQL `vaultline compile` produces for every model and test of
 * test/projects/basic, plus stg_items rendered incrementally. `UPDATE_GOLDEN=1 npm test -- golden`
 * rewrites them; review the diff before committing. Then the compiled SQL runs on a real DuckDB over
 * the sample payloads, so the fixture stays a coherent project.
 */
const PROJECT = new URL('./projects/basic', import.meta.url).pathname;
const GOLDEN = new URL('./golden/project/basic', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

let graph: ProjectGraph;
const compiled = new Map<string, string>();

function compile(node: GraphNode, incremental = false): string {
  const ctx = compileContext(graph, node, 'duckdb', graph.vars ?? {});
  return renderWithEphemerals(graph, node, { ...ctx, isIncremental: incremental });
}

before(async () => {
  graph = await loadProject(loadConfig(PROJECT, {}));
  assert.deepEqual(graph.diagnostics, []);
  for (const node of graph.nodes.values()) {
    if (node.resourceType !== 'model' && node.resourceType !== 'test') continue;
    compiled.set(compiledPath(node), `${compile(node)}\n`);
  }
  compiled.set(
    'models/staging/stg_items.incremental.sql',
    `${compile(graph.nodes.get('model.basic.stg_items')!, true)}\n`,
  );
});

function listGolden(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listGolden(path) : [relative(GOLDEN, path)];
  });
}

describe('compiled SQL of test/projects/basic matches test/golden/project/basic', () => {
  it('has one golden file per compiled node, and no stale ones', async () => {
    if (UPDATE) {
      for (const [path, sql] of compiled) {
        await mkdir(dirname(join(GOLDEN, path)), { recursive: true });
        await writeFile(join(GOLDEN, path), sql);
      }
    }
    assert.deepEqual(listGolden(GOLDEN).sort(), [...compiled.keys()].sort());
  });

  it('every file matches', () => {
    for (const [path, sql] of compiled) {
      const golden = join(GOLDEN, path);
      assert.ok(existsSync(golden), `${path}: no golden file (run with UPDATE_GOLDEN=1)`);
      assert.equal(
        sql,
        readFileSync(golden, 'utf8'),
        `${path} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`,
      );
    }
  });

  it('the brief macros render verbatim into stg_items', () => {
    const sql = compiled.get('models/staging/stg_items.sql')!;
    assert.match(sql, /sha256\(upper\(trim\(cast\(id as varchar\)\)\)\) as hk_item/);
    assert.match(
      sql,
      /sha256\(upper\(trim\(trim\(name\) \|\| '\|' \|\| lower\(trim\(category\)\) \|\| '\|' \|\| cast\(price as varchar\)\)\)\) as hashdiff/,
    );
  });
});

describe('the compiled fixture runs on DuckDB', () => {
  it('builds every model and every test passes over the sample payloads', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      for (const schema of ['staging', 'marts', 'seeds', 'sources']) await db.run(`create schema ${schema}`);
      // A stand-in for the run layer's source relation: records of each payload plus landing columns.
      const payloads = ['items-2026-01-01.json', 'items-2026-01-02.json'];
      await db.run(
        payloads
          .map(
            (file, i) =>
              `select r.*, 'demo/items/${file}' as _landing_key, timestamp '2026-01-0${i + 1}' as _load_ts, 'demo/items' as _record_source from read_json('${PROJECT}/payloads/${file}') r`,
          )
          .reduce(
            (sql, part) => (sql ? `${sql} union all ${part}` : `create table sources.demo__items as ${part}`),
            '',
          ),
      );
      await db.run(
        `create table seeds.categories as select * from read_csv('${PROJECT}/seeds/categories.csv')`,
      );
      for (const id of topologicalOrder(graph.nodes)) {
        const node = graph.nodes.get(id)!;
        if (node.resourceType !== 'model' || node.materialized === 'ephemeral') continue;
        const kind = node.materialized === 'view' ? 'view' : 'table';
        await db.run(`create ${kind} ${relationName(node)} as ${compile(node)}`);
      }
      for (const node of graph.nodes.values()) {
        if (node.resourceType !== 'test') continue;
        const rows = (
          await db.runAndReadAll(`select count(*) as failures from (${compile(node)})`)
        ).getRowObjects();
        assert.equal(rows[0]!.failures, 0n, `${node.name} fails`);
      }
      const items = (
        await db.runAndReadAll(
          'select item_id, cast(price as varchar) as price from staging.stg_items order by 1',
        )
      ).getRowObjects();
      // Item 2 twice in the batch: the later payload (22.50) wins; 5 items in all.
      assert.deepEqual(
        items.map((r) => [r.item_id, r.price]),
        [
          [1, '12.50'],
          [2, '22.50'],
          [3, '49.00'],
          [4, '18.00'],
          [5, '7.25'],
        ],
      );
      const summary = (
        await db.runAndReadAll('select * from marts.category_summary order by 1')
      ).getRowObjects();
      assert.deepEqual(
        summary.map((r) => [r.category_code, r.item_count, r.total_price_cents]),
        [
          ['garden', 2n, 2975n],
          ['kitchen', 1n, 4900n],
          ['tools', 2n, 3050n],
        ],
      );
    } finally {
      db.closeSync();
    }
  });
});
