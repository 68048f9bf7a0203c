import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import { skippedBodies, verdict } from '../../src/connectors/sdk/report.ts';
import { connector } from '../../src/connectors/usgs/connector.ts';
import { cassetteServer, extract, landed, startServer, type TestServer, tempDir } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((c) => c())));
async function dir(): Promise<string> {
  const d = await tempDir();
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}
function track<T extends TestServer>(server: T): T {
  cleanups.push(() => server.close());
  return server;
}

describe('usgs connector', () => {
  it('lands each feed byte-identical with its feature count', async () => {
    const server = track(await cassetteServer('usgs'));
    const { report, store } = await extract(connector, {
      flags: { feeds: ['all_day', 'significant_week'], base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(
      report.objects.map((o) => o.records),
      [12, 2],
    );
    const [day] = await landed(store, 'usgs/earthquakes/');
    assert.ok(day!.body.equals(server.bodies.get('/earthquakes/feed/v1.0/summary/all_day.geojson')!));
    const text = day!.body.toString();
    assert.match(text, /"mag":5,/, 'an integer magnitude stays an integer');
    assert.match(text, /"mag":-0\.3,/);
    assert.match(text, /"ids":",us7000p2k9,at00sq4w1x,pt25015000,"/);
    const json = JSON.parse(text);
    assert.equal(json.metadata.count, 12);
    assert.equal(typeof json.features[0].properties.time, 'number', 'epoch milliseconds');
    assert.equal(json.features[0].properties.felt, null);
  });

  it('warns when metadata.count disagrees with the features delivered', async () => {
    const server = track(
      await startServer(() => ({
        body: JSON.stringify({ type: 'FeatureCollection', metadata: { count: 3 }, features: [{}] }),
      })),
    );
    const { report } = await extract(connector, { flags: { base_url: server.url }, storeDir: await dir() });
    assert.equal(
      server.requests[0]!.url,
      '/earthquakes/feed/v1.0/summary/all_day.geojson',
      'all_day by default',
    );
    assert.match(report.warnings[0]!, /metadata\.count says 3 but the body holds 1 feature/);
  });

  it('lands a malformed body marked valid_json: false and reports it (a single request: no failure)', async () => {
    const server = track(
      await startServer(() => ({
        headers: { 'content-type': 'text/html' },
        body: '<html>502 upstream</html>',
      })),
    );
    const { report, store } = await extract(connector, {
      flags: { base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    const [object] = await landed(store);
    assert.equal(object!.body.toString(), '<html>502 upstream</html>');
    assert.equal(object!.meta.valid_json, false);
    assert.match(report.warnings[0]!, /is not valid JSON .*landed as is, marked valid_json: false/);
  });

  it('marks a latin-1 body valid_json: false (not valid UTF-8 at byte N) and fails the run unless tolerated', async () => {
    const body = Buffer.from(
      '{"type":"FeatureCollection","metadata":{"count":1},"features":[{"type":"Feature","properties":{"place":"S\xe3o Paulo"},"id":"x1"}]}',
      'latin1',
    );
    const server = track(await startServer(() => ({ body })));
    const { report, store } = await extract(connector, {
      flags: { base_url: server.url },
      storeDir: await dir(),
    });
    const [object] = await landed(store);
    assert.ok(object!.body.equals(body), 'the exact bytes');
    assert.equal(object!.meta.valid_json, false);
    assert.equal(object!.meta.parse_error, `not valid UTF-8 at byte ${body.indexOf(0xe3)} (0xe3)`);
    assert.deepEqual(report.failures, []);
    assert.deepEqual(skippedBodies(report), [
      {
        key: object!.meta.key,
        reason: `not valid JSON: not valid UTF-8 at byte ${body.indexOf(0xe3)} (0xe3)`,
      },
    ]);
    assert.deepEqual(verdict(report), { failed: true, invalidTolerated: false });
    const tolerant = await extract(connector, {
      flags: { base_url: server.url, max_invalid_bodies: '1' },
      storeDir: await dir(),
    });
    assert.deepEqual(verdict(tolerant.report), { failed: false, invalidTolerated: true });
  });

  it('lands a feed nested a million levels deep without crashing', async () => {
    const depth = 1_000_000;
    const body = `{"type":"FeatureCollection","features":[{"properties":${'['.repeat(depth)}${']'.repeat(depth)}}]}`;
    const server = track(await startServer(() => ({ body })));
    const { report, store } = await extract(connector, {
      flags: { base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    const [object] = await landed(store);
    assert.equal(object!.body.toString(), body);
    assert.equal(object!.meta.valid_json, true, "V8's JSON.parse is iterative: the document is valid JSON");
    assert.equal(object!.meta.record_count, 1);
  });

  it('waits as a 429 Retry-After says, then lands the answer', async () => {
    const server = track(
      await startServer((_r, i) =>
        i === 0
          ? { status: 429, headers: { 'retry-after': '7' }, body: '' }
          : { body: '{"type":"FeatureCollection","features":[]}' },
      ),
    );
    const { report, sleeps } = await extract(connector, {
      flags: { base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(sleeps, [7000]);
    assert.equal(report.objects.length, 1);
  });

  it('times out a feed that never answers and reports the failure after retrying', async () => {
    const server = track(await startServer(() => ({ hang: true })));
    const { report } = await extract(connector, {
      flags: { base_url: server.url, timeout_ms: '200', max_attempts: '2' },
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 0);
    assert.match(
      report.failures[0]!.message,
      /all_day\.geojson: timed out after 200 ms \(gave up after 2 attempt\(s\)\)/,
    );
  });

  it('rejects an unknown feed name before any request', () => {
    const prepared = prepareJob(connector, { flags: { feeds: ['all_dya'] }, env: {}, cwd: '/' });
    assert.match(prepared.problems[0]!, /usgs: --feed: "all_dya" is not a feed name like all_day/);
  });
});
