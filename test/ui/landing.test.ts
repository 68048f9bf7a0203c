import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/load.ts';
import { landPayload } from '../../src/landing/land.ts';
import { openLandingStore } from '../../src/landing/open-store.ts';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { type ServedProject, serveExample } from '../helpers/served-project.ts';

const SCREENSHOTS = new URL('../../target/ui-screenshots/', import.meta.url).pathname;

/**
 * The Landing page on the example: one broken usgs payload landed by hand, then the daily job (extract
 * and build), so the store holds every source and the warehouse a quarantine. Through the API (shapes,
 * the key rule) and in a real Chromium: summary → a day → an object's sidecar and body, the quarantine.
 */
describe('the Landing page', () => {
  let served: ServedProject;
  let browser: Browser;
  let brokenKey: string;
  const get = async (path: string) => {
    const response = await fetch(`${served.url}${path}`);
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  before(async () => {
    served = await serveExample();
    const store = openLandingStore(loadConfig(served.dir, {}));
    const broken = await landPayload(store, {
      source: 'usgs',
      resource: 'earthquakes',
      body: Buffer.from('{"type": "FeatureCollection", "features": [ {"id": '),
      request: { method: 'FILE', url: 'file:///tmp/broken-earthquakes.json' },
      response: null,
      recordCount: null,
      connector: { name: 'vaultline-land', version: 'test' },
      runId: 'landing-test',
      transport: 'file',
    });
    brokenKey = broken.key;
    assert.equal(broken.valid_json, false);
    const run = await served.server.runner.start({ job: 'daily', trigger: { kind: 'manual', by: 'api' } })
      .done;
    assert.equal(run.status, 'success');
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  test('the API: summary per source and day, a day’s objects, one object, quarantine, rejects', async () => {
    const summary = await get('/ui/api/landing/summary');
    assert.equal(summary.status, 200);
    const sources = new Set(summary.body.resources.map((r: { source: string }) => r.source));
    assert.equal(sources.size, 7, [...sources].join(', '));
    const usgs = summary.body.resources.find((r: { source: string }) => r.source === 'usgs');
    const dates = usgs.days.map((d: { date: string }) => d.date);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
    assert.ok(usgs.days[0].objects >= 1 && usgs.days[0].bytes > 0);

    const date = brokenKey.split('/')[2]?.replace('load_date=', '') ?? '';
    const day = await get(`/ui/api/landing/objects?source=usgs&resource=earthquakes&date=${date}`);
    assert.equal(day.status, 200);
    const row = day.body.objects.find((o: { key: string }) => o.key === brokenKey);
    assert.equal(row.valid_json, false);
    assert.ok(day.body.objects.some((o: { valid_json: boolean }) => o.valid_json));
    assert.equal((await get('/ui/api/landing/objects?source=../x&resource=a&date=2026-01-01')).status, 400);

    const object = await get(`/ui/api/landing/object?key=${encodeURIComponent(brokenKey)}`);
    assert.equal(object.status, 200);
    assert.match(object.body.meta.sha256, /^[0-9a-f]{64}$/);
    assert.match(object.body.preview, /FeatureCollection/);
    assert.equal(object.body.truncated, false);

    const quarantine = await get('/ui/api/landing/quarantine');
    assert.equal(quarantine.body.built, true);
    assert.ok(quarantine.body.entries.some((e: { key: string }) => e.key === brokenKey));
    const rejects = await get('/ui/api/landing/rejects?limit=5');
    assert.equal(rejects.status, 200);
    assert.equal(rejects.body.built, true);
    assert.ok(rejects.body.rejects.length <= 5);
    assert.equal((await get('/ui/api/landing/rejects?limit=0')).status, 400);
  });

  test('keys that are not landing keys answer 400', async () => {
    const good = brokenKey;
    for (const key of [
      '',
      '../vaultline.yml',
      `usgs/earthquakes/../../${good}`,
      '_state/usgs/earthquakes',
      `${good}.meta.json`,
      `/${good}`,
      good.replace('usgs/', '_repair/'),
    ]) {
      const answer = await get(`/ui/api/landing/object?key=${encodeURIComponent(key)}`);
      assert.equal(answer.status, 400, key);
      assert.match(answer.body.error, /not a landing key/);
    }
    const missing = good.replace(/_[0-9a-f]{16}\.json\.gz$/, '_0000000000000000.json.gz');
    assert.equal((await get(`/ui/api/landing/object?key=${encodeURIComponent(missing)}`)).status, 404);
  });

  test('in the browser: the seven sources, a usgs day, an object with its sidecar, the quarantine', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${served.url}/#/landing`);
    await page.locator('.landing-source').first().waitFor();
    assert.equal(await page.locator('.landing-source').count(), 7);
    for (const source of ['usgs', 'weather', 'wikimedia', 'github', 'spacex', 'worldbank', 'openaq'])
      await page.locator(`.landing-source[data-source="${source}"]`).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}landing.png`, fullPage: true });

    await page
      .locator('.landing-resource[data-resource="usgs/earthquakes"] a.landing-day-link')
      .first()
      .click();
    await page.locator('#landing-objects tr[data-key]').first().waitFor();
    await page.locator(`#landing-objects tr[data-key="${brokenKey}"]`, { hasText: 'invalid' }).waitFor();
    const valid = page.locator('#landing-objects tr[data-key]', { hasText: 'valid' }).filter({
      hasNotText: 'invalid',
    });
    await valid.first().locator('a.landing-object-link').click();
    await page.locator('.landing-meta dd[data-field="sha256"]').waitFor();
    assert.match(
      (await page.locator('.landing-meta dd[data-field="sha256"]').textContent()) ?? '',
      /^[0-9a-f]{64}$/,
    );
    assert.match(
      (await page.locator('.landing-meta dd[data-field="request"]').textContent()) ?? '',
      /^GET https?:\/\//,
    );
    assert.ok(((await page.locator('#landing-body').textContent()) ?? '').length > 0);
    await page.screenshot({ path: `${SCREENSHOTS}landing-object.png`, fullPage: true });

    await page.goto(`${served.url}/#/landing`);
    await page.locator(`#landing-quarantine tr[data-key="${brokenKey}"]`).waitFor();
    await page.locator('#landing-rejects h2').waitFor();
    assert.deepEqual(problems, []);
  });
});
