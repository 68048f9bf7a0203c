import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { type ServedProject, serveExample } from '../helpers/served-project.ts';

const SCREENSHOTS = new URL('../../target/ui-screenshots/', import.meta.url).pathname;
/** A statement that runs until it is interrupted (10^13 rows, none kept). */
const SLOW_MODEL = `{{ config(materialized='table') }}
select count(*) as n from range(100000000) a, range(100000) b where a.range * b.range = -1
`;

/** How long `work` took, logged: a liveness bound, not a performance one. */
async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  console.log(`# ${label}: ${ms.toFixed(0)} ms`);
  return { value, ms };
}

async function runNow(page: Page, served: ServedProject, job: string): Promise<string> {
  await page.goto(`${served.url}/#/runs`);
  await page.locator(`button.run-now[data-job="${job}"]`).click();
  await page.waitForURL(/#\/run\/r/);
  return decodeURIComponent(new URL(page.url()).hash.replace('#/run/', ''));
}

/**
 * The Runs pages in a real Chromium on `vaultline serve` of the example: "Run now" starts a run whose
 * log streams in while it runs, the build's nodes on the timeline after; a slow build is cancelled (and
 * its retry too) from its page, and meanwhile the runs listing and page answer.
 */
describe('the Runs pages', () => {
  let browser: Browser;
  let served: ServedProject;
  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser();
    served = await serveExample({
      prepare: (dir) => {
        const yml = join(dir, 'vaultline.yml');
        const text = readFileSync(yml, 'utf8');
        assert.match(text, /^jobs:\n/m);
        writeFileSync(
          yml,
          text.replace(
            /^jobs:\n/m,
            'jobs:\n  slow:\n    description: a build that runs until cancelled\n    steps: [build --select slow]\n',
          ),
        );
      },
    });
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  test('Run now: the log streams in while the run runs, then success and the build on a timeline', async () => {
    const { page, problems } = await watchedPage(browser);
    const run = await runNow(page, served, 'daily');
    // Lines that came over the event stream (not the first log page) while the page said "running".
    await page.waitForFunction(
      "document.querySelector('#log .log-line.live') !== null && document.querySelector('#run-status')?.textContent === 'running'",
      undefined,
      { timeout: 60_000 },
    );
    await page.locator('#run-status', { hasText: 'success' }).waitFor({ timeout: 120_000 });
    const record = (await (await fetch(`${served.url}/ui/api/runs/${run}`)).json()) as {
      run: { status: string; steps: Array<{ nodes: Array<{ unique_id: string }> | null }> };
      log_lines: number;
    };
    assert.equal(record.run.status, 'success');
    // Nothing lost or shown twice between the first page and the stream (the whole log fits one page here).
    assert.equal(await page.locator('#load-earlier').count(), 0);
    assert.equal(await page.locator('#log .log-line').count(), record.log_lines);
    assert.ok((await page.locator('#log .log-line.live').count()) > 0);

    const nodes = record.run.steps[1]?.nodes ?? [];
    assert.ok(nodes.length > 5, 'the build step has its nodes');
    const rows = page.locator('.run-step[data-step="1"] .timeline .tl-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), nodes.length);
    const first = nodes[0]?.unique_id ?? '';
    assert.ok(await page.locator(`.tl-row[data-node="${first}"] .tl-bar`).isVisible());
    assert.equal(await page.locator('#retry').count(), 0, 'no retry for a success');
    await page.screenshot({ path: join(SCREENSHOTS, 'run-daily.png'), fullPage: true });

    // The listing shows it; filters by job and status.
    await page.goto(`${served.url}/#/runs`);
    await page.locator(`#runs tr[data-run="${run}"]`, { hasText: 'success' }).waitFor();
    await page.locator('#filter-job').selectOption('weekly_refresh');
    await page.locator('#runs td', { hasText: 'No runs yet.' }).waitFor();
    await page.locator('#filter-job').selectOption('daily');
    await page.locator('#filter-status').selectOption('success');
    await page.locator(`#runs tr[data-run="${run}"]`).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a slow build: the UI answers while it runs; cancel from its page, retry, cancel the retry', async () => {
    // Added now, not in prepare: daily's plain `build` would have built it too (each build reads the project).
    writeFileSync(join(served.dir, 'models', 'slow.sql'), SLOW_MODEL);
    const { page, problems } = await watchedPage(browser);
    const run = await runNow(page, served, 'slow');
    await page.locator('#run-status', { hasText: 'running' }).waitFor({ timeout: 30_000 });
    // The build has reached its statement when the node's start is logged.
    await page.locator('#log .log-line', { hasText: 'slow' }).first().waitFor({ timeout: 30_000 });

    const listing = await timed('GET /ui/api/runs during the slow build', async () => {
      const response = await fetch(`${served.url}/ui/api/runs`);
      return (await response.json()) as { runs: Array<{ id: string; status: string }> };
    });
    assert.equal(listing.value.runs[0]?.id, run);
    assert.equal(listing.value.runs[0]?.status, 'running');
    assert.ok(listing.ms < 5000, `the listing answered in ${listing.ms} ms`);
    const other = await browser.newPage();
    const shown = await timed('the runs page during the slow build', async () => {
      await other.goto(`${served.url}/#/runs`);
      await other.locator(`#runs tr[data-run="${run}"]`, { hasText: 'running' }).waitFor({ timeout: 10_000 });
    });
    assert.ok(shown.ms < 5000, `the runs page showed in ${shown.ms} ms`);
    await other.close();
    await page.screenshot({ path: join(SCREENSHOTS, 'run-slow-running.png'), fullPage: true });

    await page.locator('#cancel').click();
    await page.locator('#run-status', { hasText: 'cancelled' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#cancel').count(), 0);

    await page.locator('#retry').click();
    await page.waitForURL((url) => url.hash.startsWith('#/run/') && !url.hash.endsWith(run));
    const retried = decodeURIComponent(new URL(page.url()).hash.replace('#/run/', ''));
    await page.locator('#cancel').click();
    await page.locator('#run-status', { hasText: 'cancelled' }).waitFor({ timeout: 60_000 });
    const record = (await (await fetch(`${served.url}/ui/api/runs/${retried}`)).json()) as {
      run: { job: string; status: string; trigger: { kind: string } };
    };
    assert.deepEqual(
      [record.run.job, record.run.status, record.run.trigger.kind],
      ['slow', 'cancelled', 'manual'],
    );
    assert.deepEqual(problems, []);
    await page.close();
  });
});
