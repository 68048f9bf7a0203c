/**
 * Vault entities declared in a project's YAML take part in `build` like any model: they are planned
 * after their staging models, loaded through src/vault, tested with their automatic tests, and a
 * second build with nothing new landed adds no row.
 */

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load.ts';
import { landPayload } from '../src/landing/land.ts';
import { openLandingStore } from '../src/landing/open-store.ts';
import { loadCheckedProject } from '../src/project/load-project.ts';
import { renderNode } from '../src/project/render.ts';
import { selectNodes } from '../src/project/selection/select.ts';
import { runProject } from '../src/run/run-project.ts';
import { registerVaultBuilder } from '../src/run/vault-builder.ts';
import { steppingClock } from '../src/shared/clock.ts';
import { openProjectWarehouse } from './helpers/warehouse.ts';

const fixture = new URL('./projects/basic/', import.meta.url).pathname;

const VAULT_YAML = `vault:
  hubs:
    - name: hub_item
      business_key: [item_id]
      sources: [stg_items]
    - name: hub_category
      business_key: [category_code]
      sources: [stg_items]
  links:
    - name: link_item_category
      hubs: [hub_item, hub_category]
      sources: [stg_items]
  satellites:
    - name: sat_item
      parent: hub_item
      source: stg_items
      attributes: [item_name, price]
`;

describe('vault entities in vaultline build', () => {
  let dir = '';
  const vaultTables = ['hub_item', 'hub_category', 'link_item_category', 'sat_item'];

  const build = async (select?: string[]) => {
    const config = loadConfig(dir, {});
    const graph = await loadCheckedProject(config);
    registerVaultBuilder();
    const { result } = await runProject({
      config,
      selected: selectNodes(graph, { select }),
      command: 'build',
      render: renderNode,
      version: 'test',
      warn: () => undefined,
    });
    return { graph, result };
  };
  const counts = async () => {
    const session = await openProjectWarehouse(dir);
    try {
      const out: Record<string, number> = {};
      for (const t of vaultTables) {
        const [row] = await session.query<{ n: bigint }>(`select count(*) as n from vault.${t}`);
        out[t] = Number(row?.n);
      }
      return out;
    } finally {
      await session.close();
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaultline-build-vault-'));
    cpSync(fixture, dir, { recursive: true });
    rmSync(join(dir, '.vaultline'), { recursive: true, force: true });
    writeFileSync(join(dir, 'models/vault.yml'), VAULT_YAML);
    const store = openLandingStore(loadConfig(dir, {}));
    for (const [i, file] of ['items-2026-01-01.json', 'items-2026-01-02.json'].entries()) {
      await landPayload(
        store,
        {
          source: 'demo',
          resource: 'items',
          body: readFileSync(join(dir, 'payloads', file)),
          request: { method: 'FILE', url: `file:///${file}` },
          connector: { name: 'test', version: '0' },
          runId: `r${i}`,
        },
        steppingClock(new Date(`2026-01-0${i + 1}T06:00:00Z`)),
      );
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('vault nodes are in the graph, after their staging model, with automatic tests', async () => {
    const config = loadConfig(dir, {});
    const graph = await loadCheckedProject(config);
    const hub = graph.nodes.get('vault.basic.hub_item');
    assert.equal(hub?.resourceType, 'vault');
    assert.deepEqual(hub?.dependsOn, ['model.basic.stg_items']);
    const sat = graph.nodes.get('vault.basic.sat_item');
    assert.ok(sat?.dependsOn.includes('vault.basic.hub_item'));
    const tests = [...graph.nodes.values()].filter(
      (n) => n.resourceType === 'test' && n.attachedNode === 'vault.basic.hub_item',
    );
    assert.deepEqual(tests.map((t) => t.name).sort(), [
      'not_null_hub_item_hk_item',
      'unique_hub_item_hk_item',
    ]);
    const selected = selectNodes(graph, { select: ['resource_type:vault'] });
    assert.deepEqual([...selected.selected].filter((id) => id.startsWith('vault.')).sort(), [
      'vault.basic.hub_category',
      'vault.basic.hub_item',
      'vault.basic.link_item_category',
      'vault.basic.sat_item',
    ]);
  });

  test('build loads every entity, its tests pass, and a second build adds nothing', async () => {
    const first = await build();
    const failed = first.result.results.filter((r) => !['success', 'pass'].includes(r.status));
    assert.deepEqual(failed, []);
    const loaded = await counts();
    assert.deepEqual(loaded, { hub_item: 5, hub_category: 3, link_item_category: 5, sat_item: 6 }); // sat: 5 + ghost
    const second = await build();
    assert.equal(second.result.success, true);
    assert.deepEqual(await counts(), loaded);
  });
});
