import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchedPage } from '../helpers/browser.ts';
import { type ServedProject, serveExample } from '../helpers/served-project.ts';

/**
 * Provenance on the built example (DuckDB, the daily job run once): from a vault row back to the
 * landed payload and the record inside it, through the API and in a real Chromium; and the SQL
 * safety of both routes (every value a bound parameter, every name from the specs or the catalog).
 */
describe('provenance', () => {
  let served: ServedProject;
  let browser: Browser;
  let quake: { hk: string; id: string };
  const get = async (path: string) => {
    const response = await fetch(`${served.url}${path}`);
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  before(async () => {
    served = await serveExample();
    const run = await served.server.runner.start({ job: 'daily', trigger: { kind: 'manual', by: 'api' } })
      .done;
    assert.equal(run.status, 'success');
    const hubs = await get('/ui/api/provenance/relation/vault/hub_earthquake');
    assert.equal(hubs.status, 200);
    const row = hubs.body.rows.find((r: Record<string, unknown>) => typeof r.earthquake_id === 'string');
    quake = { hk: row.hk_earthquake, id: row.earthquake_id };
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  test('a hub key: its row, satellite versions with the one in effect, PIT rows, the landed record', async () => {
    const { status, body } = await get(`/ui/api/provenance/hub_earthquake/${quake.hk}`);
    assert.equal(status, 200);
    assert.equal(body.hub.hash_key_column, 'hk_earthquake');
    assert.deepEqual(body.hub.business_key_columns, ['earthquake_id']);
    assert.equal(body.hub.row.earthquake_id, quake.id);
    const sat = body.satellites.find((s: { name: string }) => s.name === 'sat_earthquake');
    assert.ok(sat.versions.length >= 1);
    assert.equal(sat.versions.filter((v: { in_effect: boolean }) => v.in_effect).length, 1);
    assert.match(sat.versions[0].hashdiff, /^[0-9a-f]{64}$/);
    assert.ok(body.pits.find((p: { name: string }) => p.name === 'pit_earthquake_day').rows.length >= 1);
    assert.ok(body.landed.length >= 1);
    for (const object of body.landed) {
      assert.match(object.key, /^usgs\/earthquakes\/load_date=.*\.json\.gz$/);
      assert.match(object.sha256, /^[0-9a-f]{64}$/);
      assert.equal(object.request.method, 'GET');
      assert.equal(object.record.id, quake.id, `record of ${object.key}: ${object.not_found ?? ''}`);
      assert.equal(typeof object.record_index, 'number');
    }
  });

  test('a hub key with links: each link row names the other hubs', async () => {
    const launches = await get('/ui/api/provenance/relation/vault/hub_launch');
    const hk = launches.body.rows[0].hk_launch;
    const { status, body } = await get(`/ui/api/provenance/hub_launch/${hk}`);
    assert.equal(status, 200);
    const rocket = body.links.find((l: { name: string }) => l.name === 'link_launch_rocket');
    assert.ok(rocket.rows[0].hubs.some((h: { hub: string }) => h.hub === 'hub_rocket'));
  });

  test('unknown hub: 404 with did-you-mean; malformed or injected hk: 400; unknown key: 404', async () => {
    const unknown = await get(`/ui/api/provenance/hub_earthquak/${quake.hk}`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error, /did you mean hub_earthquake/);
    for (const hk of ["' or 1=1 --", `${quake.hk}' OR '1'='1`, quake.hk.toUpperCase(), 'abc']) {
      const answer = await get(`/ui/api/provenance/hub_earthquake/${encodeURIComponent(hk)}`);
      assert.equal(answer.status, 400, hk);
      assert.equal(answer.body.hub, undefined);
    }
    assert.equal((await get(`/ui/api/provenance/hub_earthquake/${'0'.repeat(63)}1`)).status, 404);
  });

  test('relation rows: compiled SQL, bound values, checked columns, links to the hub key', async () => {
    const where = encodeURIComponent(JSON.stringify({ hk_earthquake: quake.hk }));
    const { status, body } = await get(`/ui/api/provenance/relation/vault/sat_earthquake?where=${where}`);
    assert.equal(status, 200);
    assert.match(body.compiled_sql, /sat_earthquake/);
    assert.ok(body.rows.length >= 1);
    assert.deepEqual(body.hub_links[0], [{ hub: 'hub_earthquake', column: 'hk_earthquake', hk: quake.hk }]);

    const mart = await get('/ui/api/provenance/relation/marts/earthquakes_daily');
    assert.equal(mart.status, 200);
    assert.match(mart.body.compiled_sql, /pit_earthquake_day/);

    const injected = encodeURIComponent(JSON.stringify({ earthquake_id: "' or 1=1 --" }));
    const none = await get(`/ui/api/provenance/relation/vault/hub_earthquake?where=${injected}`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.rows, []);
    const badColumn = encodeURIComponent(JSON.stringify({ 'earthquake_id = earthquake_id or 1': 1 }));
    assert.equal(
      (await get(`/ui/api/provenance/relation/vault/hub_earthquake?where=${badColumn}`)).status,
      400,
    );
    assert.equal((await get('/ui/api/provenance/relation/vault/hub_earthquake?where=not-json')).status, 400);
    const missing = await get('/ui/api/provenance/relation/vault/hub_earthquak');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /did you mean vault\.hub_earthquake/);
    assert.equal((await get('/ui/api/provenance/relation/information_schema/tables')).status, 404);
  });

  test('the page: from the hub key to the landed object key and the record inside it', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${served.url}/#/provenance/hub_earthquake/${quake.hk}`);
    await page.locator('#provenance-business-key', { hasText: quake.id }).waitFor();
    const key = page.locator('.provenance-object .provenance-key').first();
    await key.waitFor();
    assert.match(await key.innerText(), /^usgs\/earthquakes\/load_date=.*\.json\.gz$/);
    const record = JSON.parse(await page.locator('.provenance-record').first().innerText());
    assert.equal(record.id, quake.id);
    assert.equal(await page.locator('.provenance-satellite tr.provenance-in-effect').count(), 1);
    await page.locator('.provenance-landed-link').first().click();
    assert.match(page.url(), new RegExp(`#/provenance/hub_earthquake/${quake.hk}$`));
    const shots = join(process.cwd(), 'target', 'ui-screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'provenance-earthquake.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});
