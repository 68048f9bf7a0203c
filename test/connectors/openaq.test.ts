import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { connector } from '../../src/connectors/openaq/connector.ts';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import {
  BUNDLED,
  cassetteServer,
  extract,
  landed,
  startServer,
  type TestServer,
  tempDir,
} from './helpers.ts';

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
const sensor = {
  sensor_ids: ['3917'],
  date_from: '2025-01-14T00:00:00Z',
  date_to: '2025-01-14T08:00:00Z',
  limit: '5',
};
const env = { OPENAQ_API_KEY: 'openaq-test-key-1234' };

function pageBody(page: number, count: number, found: number | string): string {
  const results = Array.from({ length: count }, (_, i) => ({ value: i, parameter: { units: 'µg/m³' } }));
  return JSON.stringify({ meta: { name: 'openaq-api', page, limit: 5, found }, results });
}

describe('openaq connector', () => {
  it('pages until meta.found is covered (">5" first, then the number), sending X-API-Key', async () => {
    const server = track(await cassetteServer('openaq'));
    const { report, store } = await extract(connector, {
      flags: { ...sensor, base_url: server.url },
      env,
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      report.objects.map((o) => o.records),
      [5, 3],
    );
    assert.ok(server.requests.every((r) => r.headers['x-api-key'] === env.OPENAQ_API_KEY));
    const [first] = await landed(store);
    assert.ok(first!.body.equals(server.bodies.get(first!.meta.request.url.slice(server.url.length))!));
    const body = JSON.parse(first!.body.toString());
    assert.equal(body.meta.found, '>5');
    assert.equal(body.results[0].parameter.units, 'µg/m³');
    assert.deepEqual(Object.keys(body.results[0].period.datetimeFrom), ['utc', 'local']);
    assert.equal(body.results[0].coordinates, null);
  });

  it('stops exactly when a numeric found is covered, and goes on past ">N" while pages are full', async () => {
    const numeric = track(
      await startServer((r) => ({ body: pageBody(Number(/page=(\d+)/.exec(r.url)![1]), 5, 10) })),
    );
    await extract(connector, { flags: { ...sensor, base_url: numeric.url }, env, storeDir: await dir() });
    assert.equal(numeric.requests.length, 2);

    const open = track(
      await startServer((r) => {
        const page = Number(/page=(\d+)/.exec(r.url)![1]);
        return { body: pageBody(page, page < 3 ? 5 : 2, `>${page * 5}`) };
      }),
    );
    const { report } = await extract(connector, {
      flags: { ...sensor, base_url: open.url },
      env,
      storeDir: await dir(),
    });
    assert.equal(open.requests.length, 3);
    assert.equal(
      report.objects.reduce((s, o) => s + (o.records ?? 0), 0),
      12,
    );
  });

  it('reports a failure when --max-pages stops it before the end', async () => {
    const server = track(
      await startServer((r) => ({ body: pageBody(Number(/page=(\d+)/.exec(r.url)![1]), 5, '>100') })),
    );
    const { report } = await extract(connector, {
      flags: { ...sensor, base_url: server.url, max_pages: '2' },
      env,
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 2);
    assert.match(
      report.failures[0]!.message,
      /stopped after 2 page\(s\) while the API reports more; raise --max-pages/,
    );
  });

  it('uses the daily resource with date filters', async () => {
    const server = track(await startServer(() => ({ body: pageBody(1, 1, 1) })));
    await extract(connector, {
      flags: {
        ...sensor,
        resource: 'days',
        date_from: '2025-01-01',
        date_to: '2025-01-07',
        base_url: server.url,
      },
      env,
      storeDir: await dir(),
    });
    assert.equal(
      server.requests[0]!.url,
      '/v3/sensors/3917/days?date_from=2025-01-01&date_to=2025-01-07&limit=5&page=1',
    );
  });

  it('needs OPENAQ_API_KEY for live calls but not for replay', () => {
    const live = prepareJob(connector, { flags: sensor, env: {}, cwd: '/' });
    assert.equal(live.job, undefined);
    assert.match(
      live.problems.join('\n'),
      /openaq: api_key is required to call the live API.*OPENAQ_API_KEY/,
    );
    const replay = prepareJob(connector, { flags: { ...sensor, replay: BUNDLED }, env: {}, cwd: '/' });
    assert.deepEqual(replay.problems, []);
    assert.equal(replay.job?.mode.kind, 'replay');
  });
});
