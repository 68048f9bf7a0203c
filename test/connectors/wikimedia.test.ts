import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import { connector } from '../../src/connectors/wikimedia/connector.ts';
import { BUNDLED, cassetteServer, extract, landed, type TestServer, tempDir } from './helpers.ts';

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
const flags = { articles: ['Nelson_Mandela', 'São_Paulo', 'München'], start: '20250101', end: '20250107' };
const env = { HTTP_APP_NAME: 'vaultline-tests', HTTP_CONTACT: 'tests@example.com' };

describe('wikimedia connector', () => {
  it('lands pageviews per article, with UTF-8 titles percent-encoded and missing days reported', async () => {
    const server = track(await cassetteServer('wikimedia'));
    const { report, store } = await extract(connector, {
      flags: { ...flags, base_url: server.url },
      env,
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.equal(
      server.requests[1]!.url,
      '/api/rest_v1/metrics/pageviews/per-article/en.wikipedia.org/all-access/all-agents/S%C3%A3o_Paulo/daily/2025010100/2025010700',
    );
    assert.match(
      String(server.requests[0]!.headers['user-agent']),
      /\(vaultline-tests; tests@example\.com\)$/,
    );
    assert.deepEqual(
      report.objects.map((o) => o.records),
      [7, 7, 6],
    );
    assert.deepEqual(report.warnings, ['München: 1 day(s) without an item (no views recorded): 2025010400']);
    const bodies = (await landed(store)).map(({ meta, body }) => {
      assert.ok(body.equals(server.bodies.get(meta.request.url.slice(server.url.length))!));
      return JSON.parse(body.toString());
    });
    assert.equal(bodies[1].items[0].article, 'São_Paulo');
    assert.equal(bodies[0].items[0].timestamp, '2025010100');
  });

  it('lands a 404 "no data for this range" and reports it, without failing the run', async () => {
    const server = track(await cassetteServer('wikimedia'));
    const { report, store } = await extract(connector, {
      flags: { articles: ['Nelson_Mandela'], start: '20000101', end: '20000107', base_url: server.url },
      env,
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.equal(report.objects.length, 1);
    assert.equal(report.objects[0]!.status, 404);
    assert.equal(report.objects[0]!.records, 0);
    assert.match(
      report.warnings[0]!,
      /HTTP 404 .* no data for this range \(The date\(s\) you used are valid/,
    );
    const [object] = await landed(store);
    assert.equal(object!.meta.response?.status, 404);
    assert.equal(object!.meta.response?.headers['content-type'], 'application/problem+json');
  });

  it('refuses live calls without HTTP_CONTACT, naming the variables; replay needs no contact', () => {
    const live = prepareJob(connector, { flags, env: {}, cwd: '/' });
    assert.equal(live.job, undefined);
    assert.match(
      live.problems.join('\n'),
      /requires a contact in the User-Agent.*Set HTTP_CONTACT.*HTTP_APP_NAME/,
    );
    assert.ok(prepareJob(connector, { flags, env: { HTTP_CONTACT: 'me@example.com' }, cwd: '/' }).job);
    assert.ok(prepareJob(connector, { flags: { ...flags, replay: BUNDLED }, env: {}, cwd: '/' }).job);
  });
});
