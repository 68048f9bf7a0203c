import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { UsageError } from '../../src/shared/errors.ts';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { serveExample } from '../helpers/served-project.ts';

/**
 * The UI's shell in a real Chromium: served by `vaultline serve` with every asset from the package
 * (no request leaves the machine), and the token rule — beyond loopback every request needs
 * VAULTLINE_UI_TOKEN, and the server refuses to start without one.
 */
describe('the UI shell and its door', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('on loopback the shell loads from the package alone, naming the project', async () => {
    const served = await serveExample();
    try {
      const { page, problems } = await watchedPage(browser);
      const outside: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(served.url)) outside.push(request.url());
      });
      await page.goto(`${served.url}/`);
      await page.locator('#project', { hasText: 'cloud_dw_datavault' }).waitFor();
      assert.deepEqual(outside, [], 'no request leaves the server');
      assert.deepEqual(problems, []);
      for (const path of ['/vendor/echarts.js', '/vendor/dagre.js'])
        assert.equal((await fetch(`${served.url}${path}`)).status, 200, path);
      assert.equal((await fetch(`${served.url}/assets/../../package.json`)).status, 404);
    } finally {
      await served.stop();
    }
  });

  test('beyond loopback: no token, no start; every request needs the token; the login page sets it', async () => {
    await assert.rejects(serveExample({ host: '0.0.0.0' }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /VAULTLINE_UI_TOKEN/);
      return true;
    });
    const token = 'ui-token-for-the-test-0123456789';
    const served = await serveExample({ host: '0.0.0.0', uiToken: token });
    try {
      const api = await fetch(`${served.url}/ui/api/project`);
      assert.equal(api.status, 401);
      const page = await fetch(`${served.url}/`, { redirect: 'manual' });
      assert.equal(page.status, 302);
      assert.match(page.headers.get('location') ?? '', /^\/login/);
      assert.equal(
        (await fetch(`${served.url}/ui/api/project`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
        200,
      );
      assert.equal(
        (await fetch(`${served.url}/ui/api/project`, { headers: { authorization: 'Bearer wrong' } })).status,
        401,
      );

      const { page: browserPage, problems } = await watchedPage(browser);
      await browserPage.goto(`${served.url}/`);
      assert.match(browserPage.url(), /\/login/);
      await browserPage.fill('input[name=token]', token);
      await Promise.all([browserPage.waitForURL(`${served.url}/`), browserPage.click('button[type=submit]')]);
      await browserPage.locator('#project', { hasText: 'cloud_dw_datavault' }).waitFor();
      assert.deepEqual(problems, []);
      const cookie = (await browserPage.context().cookies()).find((c) => c.name === 'vaultline_ui');
      assert.equal(cookie?.httpOnly, true);
      assert.equal(cookie?.sameSite, 'Strict');
    } finally {
      await served.stop();
    }
  });
});
