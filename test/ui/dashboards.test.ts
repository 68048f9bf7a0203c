import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { type ServedProject, serveExample } from '../helpers/served-project.ts';

interface Listed {
  name: string;
  title: string;
  charts: number;
  diagnostics: unknown[];
}

const SCREENSHOTS = new URL('../../target/ui-screenshots/', import.meta.url).pathname;

/**
 * The example's dashboards in a real Chromium, on a served copy of the example built once by its daily
 * job: every chart of every dashboard renders without an error, a date filter re-runs the dashboard in
 * one request, a day's bar drills to its earthquakes' hub keys (links to their provenance), and the
 * answer is cached until a run finishes.
 */
describe('dashboards as code', () => {
  let browser: Browser;
  let served: ServedProject;
  let listed: Listed[];
  before(async () => {
    browser = await launchBrowser();
    served = await serveExample();
    const run = await served.server.runner.start({ job: 'daily', trigger: { kind: 'manual', by: 'api' } })
      .done;
    assert.equal(run.status, 'success');
    listed = ((await (await fetch(`${served.url}/ui/api/dashboards`)).json()) as { dashboards: Listed[] })
      .dashboards;
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  /** Opens a dashboard and waits until each of its charts is drawn (or shows an error). */
  async function openDashboard(page: Page, name: string, charts: number): Promise<void> {
    await page.goto(`${served.url}/#/dashboard/${name}`);
    await page.locator('#dashboard[data-state=loaded]').waitFor();
    await page
      .locator('.dash-chart')
      .nth(charts - 1)
      .waitFor();
    await page.waitForFunction(`document.querySelectorAll('.dash-chart[data-state]').length === ${charts}`);
  }

  test('the example ships a dashboard per subject, every one without problems', () => {
    assert.deepEqual(listed.map((d) => d.name).sort(), [
      'air_quality',
      'article_traffic',
      'commits',
      'earthquakes',
      'launches',
      'population',
      'weather',
    ]);
    for (const d of listed) assert.deepEqual(d.diagnostics, [], d.name);
  });

  test('each dashboard renders every chart of its file, none with an error', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${served.url}/#/dashboards`);
    await page.locator('#dashboards a', { hasText: 'Earthquakes' }).waitFor();
    for (const dashboard of listed) {
      await openDashboard(page, dashboard.name, dashboard.charts);
      assert.equal(await page.locator('.dash-chart').count(), dashboard.charts, dashboard.name);
      const errors = await page.locator('.dash-chart[data-state=error]').allTextContents();
      assert.deepEqual(errors, [], `${dashboard.name}: charts with errors`);
      assert.equal(await page.locator('.dash-chart[data-state=rendered]').count(), dashboard.charts);
      // Drawn charts have a canvas, tables rows.
      for (const card of await page.locator('.dash-chart').all()) {
        const type = await card.getAttribute('data-type');
        if (type === 'table')
          assert.ok((await card.locator('tr').count()) > 1, `${dashboard.name}: empty table`);
        else if (type !== 'number') await card.locator('canvas').first().waitFor();
      }
    }
    assert.deepEqual(problems, []);
  });

  test('earthquakes: a date filter re-runs the dashboard in one request; a bar drills to its earthquakes', async () => {
    const { page, problems } = await watchedPage(browser);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/ui/api/dashboards/earthquakes')) asked.push(request.url());
    });
    const quakes = listed.find((d) => d.name === 'earthquakes');
    assert.ok(quakes);
    await openDashboard(page, 'earthquakes', quakes.charts);
    assert.equal(asked.length, 1, 'one request for the whole dashboard');
    assert.ok((await page.locator('.dash-map canvas').count()) > 0, 'the map of points is drawn');

    const answered = page.waitForResponse((r) => r.url().includes('/ui/api/dashboards/earthquakes?'));
    await page.locator('input[name=event_day-from]').fill('2025-01-15');
    const response = await answered;
    await page.locator('#dashboard[data-state=loaded]').waitFor();
    await page.waitForFunction(
      `document.querySelectorAll('.dash-chart[data-state=rendered]').length === ${quakes.charts}`,
    );
    assert.equal(asked.length, 2, 'the change re-ran the dashboard in one request');
    assert.match(asked[1] ?? '', /event_day=2025-01-15\.\./);
    const body = (await response.json()) as { charts: { name: string; rows: unknown[][] }[] };
    const perDay = body.charts.find((c) => c.name === 'quakes_per_day');
    assert.deepEqual(
      perDay?.rows.map((r) => r[0]),
      ['2025-01-15'],
    );
    const count = perDay?.rows[0]?.[1] as number;
    assert.ok(count > 0);

    // Click the one bar (its pixel from ECharts), then the keys list appears, linked to provenance.
    const bar = page.locator('.dash-chart[data-chart=quakes_per_day] .dash-canvas');
    const pixel = (await page.evaluate(
      `(() => { const chart = echarts.getInstanceByDom(document.querySelector('.dash-chart[data-chart=quakes_per_day] .dash-canvas'));
        return chart.convertToPixel({ seriesIndex: 0 }, [0, ${count / 2}]); })()`,
    )) as [number, number];
    const box = await bar.boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + pixel[0], box.y + pixel[1]);
    const links = page.locator('.dash-drill ul[data-hub=hub_earthquake] a');
    await links.nth(count - 1).waitFor();
    assert.equal(await links.count(), count, "the drill lists the day's earthquakes");
    for (const link of await links.all())
      assert.match((await link.getAttribute('href')) ?? '', /^#\/provenance\/hub_earthquake\/[0-9a-f]{64}$/);

    // A table's hash keys link to their provenance too (a mart row walks back the same way).
    const tableLinks = page.locator('.dash-chart[data-state=rendered] a.dash-provenance');
    assert.ok((await tableLinks.count()) > 0, 'the events table links its hk_earthquake values');
    assert.match(
      (await tableLinks.first().getAttribute('href')) ?? '',
      /^#\/provenance\/hub_earthquake\/[0-9a-f]{64}$/,
    );

    // …and one of them walks back to the payload: the landed object's key and the record inside it.
    await links.first().click();
    const key = page.locator('.provenance-object .provenance-key').first();
    await key.waitFor();
    assert.match(
      (await key.textContent()) ?? '',
      /^usgs\/earthquakes\/load_date=\d{4}-\d{2}-\d{2}\/.+\.json\.gz$/,
    );
    const record = JSON.parse(await page.locator('.provenance-record').first().innerText()) as {
      id?: string;
    };
    const businessKey = (await page.locator('#provenance-business-key').textContent()) ?? '';
    assert.ok(record.id && businessKey.includes(record.id), `record ${record.id} of ${businessKey}`);
    await page.goBack();
    await page.locator('#dashboard[data-state=loaded]').waitFor();
    await page.waitForFunction(
      `document.querySelectorAll('.dash-chart[data-state=rendered]').length === ${quakes.charts}`,
    );

    // Charts follow the page's size.
    const canvasWidth = `document.querySelector('.dash-chart[data-chart=quakes_per_day] canvas').getBoundingClientRect().width`;
    const wide = (await page.evaluate(canvasWidth)) as number;
    await page.setViewportSize({ width: 520, height: 900 });
    await page.waitForFunction(`${canvasWidth} < ${wide} - 50`);
    await page.setViewportSize({ width: 1280, height: 900 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}dashboard-earthquakes.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });

  test('the answer is cached until a run finishes; bad filters and unknown names are refused', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${served.url}${path}`);
      return {
        status: response.status,
        body: (await response.json()) as { cache?: string; generation?: number; error?: string },
      };
    };
    const path = '/ui/api/dashboards/weather?location=Johannesburg';
    const first = await get(path);
    assert.equal(first.body.cache, 'miss');
    assert.equal((await get(path)).body.cache, 'hit');
    const run = await served.server.runner.start({ job: 'daily', trigger: { kind: 'manual', by: 'api' } })
      .done;
    assert.equal(run.status, 'success');
    const afterRun = await get(path);
    assert.equal(afterRun.body.cache, 'miss', 'a finished build invalidates the cache');
    assert.ok((afterRun.body.generation ?? 0) > (first.body.generation ?? 0));
    assert.equal((await get(path)).body.cache, 'hit');

    const bad = await get(
      `/ui/api/dashboards/earthquakes?event_day=${encodeURIComponent("2025-01-01' or 1=1")}`,
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body.error ?? '', /not a date range/);
    assert.equal((await get('/ui/api/dashboards/nope')).status, 404);
    assert.equal((await get('/ui/api/dashboards/..%2Fvaultline')).status, 404);
  });
});
