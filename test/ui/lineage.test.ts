import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { type ServedProject, serveExample } from '../helpers/served-project.ts';
import { writeSyntheticLineage } from '../helpers/synthetic-lineage.ts';

const SCREENSHOTS = new URL('../../target/ui-screenshots/', import.meta.url).pathname;

/**
 * The lineage page and the node page (the data dictionary) in a real Chromium, on the example built by
 * its daily job; and a synthetic project of 2,000 models, whose lineage page draws a neighbourhood.
 */
describe('lineage and node pages', () => {
  let browser: Browser;
  let served: ServedProject;
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser();
    served = await serveExample();
    const run = await served.server.runner.start({ job: 'daily', trigger: { kind: 'manual', by: 'api' } })
      .done;
    assert.equal(run.status, 'success', `the daily job ran: ${JSON.stringify(run)}`);
  });
  after(async () => {
    await served?.stop();
    await browser?.close();
  });

  test('search, click a hub, read its dictionary; a mart has typed columns', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${served.url}/#/lineage`);
    await page.locator('svg.lineage-svg g.lineage-node').first().waitFor();
    await page.fill('#lineage-search', 'earthquake');
    await page.click('.lineage-controls button[type=submit]');
    const hub = page.locator('g.lineage-node[data-name="hub_earthquake"]');
    await hub.waitFor();
    // Only earthquake nodes are drawn now.
    await page.locator('g.lineage-node[data-name="stg_spacex__launches"]').waitFor({ state: 'detached' });
    assert.ok((await page.locator('g.lineage-node').count()) >= 4);
    await page.screenshot({ path: join(SCREENSHOTS, 'lineage-earthquake.png'), fullPage: true });

    await hub.click();
    await page.waitForURL(/#\/node\/vault\.cloud_dw_datavault\.hub_earthquake$/);
    const columns = page.locator('#node-columns');
    await columns.locator('code', { hasText: 'hk_earthquake' }).waitFor();
    await columns.locator('code', { hasText: 'earthquake_id' }).waitFor();
    await page.locator('#node-upstream a', { hasText: 'stg_usgs__earthquakes' }).waitFor();
    await page.locator('#node-vault', { hasText: 'hk_earthquake' }).waitFor();
    await page.locator('#node-vault', { hasText: 'the warehouse was built with this standard' }).waitFor();
    assert.match((await page.locator('#node-row-count').textContent()) ?? '', /^[1-9]\d*$/);
    await page.locator('#node-sql').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'node-hub-earthquake.png'), fullPage: true });

    // Upstream is clickable: the staging model's page, then on to its mart downstream.
    await page.locator('#node-upstream a', { hasText: 'stg_usgs__earthquakes' }).click();
    await page.waitForURL(/#\/node\/model\.cloud_dw_datavault\.stg_usgs__earthquakes$/);
    await page.locator('#node-columns code', { hasText: 'earthquake_id' }).waitFor();

    await page.goto(`${served.url}/#/node/model.cloud_dw_datavault.earthquakes_daily`);
    const martColumns = page.locator('#node-columns tr');
    await martColumns.nth(1).waitFor();
    const rows = await martColumns.allTextContents();
    assert.ok(rows.length > 2, 'the mart has columns');
    // Every built column has its warehouse type (second cell non-empty).
    const types = await page.locator('#node-columns tr td:nth-child(2)').allTextContents();
    assert.ok(types.length > 0 && types.every((t) => t !== '—' && t.length > 0), `types: ${types}`);
    await page.locator('#node-facts', { hasText: 'success' }).waitFor();
    assert.deepEqual(problems, []);
  });

  test('the node API answers 404 for an unknown node and 400 for a bad selector', async () => {
    const missing = await fetch(`${served.url}/ui/api/nodes/model.nope.nothing`);
    assert.equal(missing.status, 404);
    const bad = await fetch(`${served.url}/ui/api/graph?select=${encodeURIComponent('nosuchmethod:x')}`);
    assert.equal(bad.status, 400);
    const hub = (await (
      await fetch(`${served.url}/ui/api/graph?select=${encodeURIComponent('+hub_earthquake+')}`)
    ).json()) as { nodes: { name: string; kind: string }[]; edges: [string, string][] };
    const kinds = new Map(hub.nodes.map((n) => [n.name, n.kind]));
    assert.equal(kinds.get('hub_earthquake'), 'hub');
    assert.equal(kinds.get('stg_usgs__earthquakes'), 'staging');
    assert.equal(kinds.get('earthquakes_daily'), 'mart');
    assert.ok(hub.edges.length > 0);
    // The lineage ends at the dashboards that read a mart.
    assert.equal(kinds.get('earthquakes'), 'dashboard');
    assert.ok(
      hub.edges.some(
        ([from, to]) =>
          from === 'model.cloud_dw_datavault.earthquakes_daily' && to === 'dashboard.earthquakes',
      ),
      JSON.stringify(hub.edges.filter(([, to]) => to.startsWith('dashboard.'))),
    );
  });
});

describe('lineage at 2,000 nodes', () => {
  const MODELS = 2000;
  let browser: Browser;
  let served: ServedProject;
  let source: string;
  before(async () => {
    source = mkdtempSync(join(tmpdir(), 'vaultline-synthetic-'));
    writeSyntheticLineage(source, MODELS);
    browser = await launchBrowser();
    served = await serveExample({ from: source });
  });
  after(async () => {
    await served?.stop();
    await browser?.close();
    rmSync(source, { recursive: true, force: true });
  });

  test('the API answers selections and cuts the whole graph to a drawable part', async () => {
    const all = (await (await fetch(`${served.url}/ui/api/graph`)).json()) as {
      nodes: unknown[];
      matched: number;
      omitted: number;
    };
    assert.equal(all.matched, MODELS);
    assert.equal(all.nodes.length, 300);
    assert.equal(all.omitted, MODELS - 300);
    const started = performance.now();
    const near = (await (
      await fetch(`${served.url}/ui/api/graph?select=${encodeURIComponent('2+model_1000+2')}`)
    ).json()) as { nodes: { name: string }[]; edges: unknown[]; omitted: number };
    console.log(
      `graph API, 2+model_1000+2 of ${MODELS} models: ${Math.round(performance.now() - started)} ms`,
    );
    const names = new Set(near.nodes.map((n) => n.name));
    for (const name of ['model_998', 'model_999', 'model_1000', 'model_500', 'model_1001', 'model_1002'])
      assert.ok(names.has(name), name);
    assert.equal(near.omitted, 0);
  });

  test('the lineage page draws the neighbourhood of one node', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${served.url}/#/lineage/model_1000`);
    const svg = page.locator('svg.lineage-svg[data-render-ms]');
    await svg.waitFor();
    const ms = await svg.getAttribute('data-render-ms');
    const drawn = await page.locator('g.lineage-node').count();
    console.log(`lineage page, neighbourhood of model_1000 in ${MODELS} models: ${drawn} nodes in ${ms} ms`);
    await page.locator('g.lineage-node.centre[data-name="model_1000"]').waitFor();
    assert.ok(drawn >= 5 && drawn <= 300, `drawn ${drawn}`);

    // The whole graph: cut, and the page says how many were left out.
    await page.fill('#lineage-select', '');
    await page.click('.lineage-controls button[type=submit]');
    await page.locator('#lineage-info', { hasText: `${MODELS - 300} more matched` }).waitFor();
    const full = await page.locator('svg.lineage-svg').getAttribute('data-render-ms');
    console.log(`lineage page, first 300 of ${MODELS} models: ${full} ms`);
    await page.screenshot({ path: join(SCREENSHOTS, 'lineage-synthetic-2000.png') });
    assert.deepEqual(problems, []);
  });
});
