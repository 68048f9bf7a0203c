import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { describeRun, vaultline } from '../helpers/cli.ts';
import { copyExample } from '../helpers/example-project.ts';

/**
 * `vaultline docs generate` on the built example: one HTML file that a browser opens straight from
 * disk (file://, no server) and that shows the lineage and the data dictionary, like dbt docs.
 */
const dir = mkdtempSync(join(tmpdir(), 'vaultline-docs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('docs generate writes one file that opens from disk with the lineage and the columns', {
  timeout: 300_000,
}, async () => {
  copyExample(dir);
  const built = await vaultline(['run-job', 'daily'], { cwd: dir });
  assert.equal(built.code, 0, describeRun(built));
  const generated = await vaultline(['docs', 'generate', '--json'], { cwd: dir });
  assert.equal(generated.code, 0, describeRun(generated));
  const { path, nodes, with_warehouse } = JSON.parse(generated.out) as {
    path: string;
    nodes: number;
    with_warehouse: boolean;
  };
  assert.ok(nodes > 100, `${nodes} nodes`);
  assert.equal(with_warehouse, true);

  const browser = await launchBrowser();
  try {
    const { page, problems } = await watchedPage(browser);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${pathToFileURL(path).href}#/lineage/hub_earthquake`);
    await page.locator('g.lineage-node[data-name="hub_earthquake"]').waitFor();
    assert.ok((await page.locator('g.lineage-node').count()) >= 3, 'the hub and its neighbours');
    await page.locator('g.lineage-node[data-name="hub_earthquake"]').click();
    await page.locator('#node-columns code', { hasText: 'hk_earthquake' }).waitFor();
    await page.locator('#node-upstream a', { hasText: 'stg_usgs__earthquakes' }).waitFor();
    // Column types came from the warehouse when the docs were generated.
    const types = await page.locator('#node-columns tr td:nth-child(2)').allTextContents();
    assert.ok(
      types.some((t) => t.trim() !== '' && t.trim() !== '—'),
      types.join(','),
    );
    assert.deepEqual(problems, []);
    assert.ok(
      requests.every((url) => url.startsWith('file:') || url.startsWith('data:')),
      requests.join('\n'),
    );
  } finally {
    await browser.close();
  }
});
