import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import { connector } from '../../src/connectors/wikimedia/connector.ts';
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
    assert.deepEqual(report.warnings, []);
    assert.match(
      report.notes[0]!,
      /no data: Wikimedia: no data for the requested dates \(HTTP 404 from GET .*: The date\(s\) you used are valid/,
    );
    const [object] = await landed(store);
    assert.equal(object!.meta.response?.status, 404);
    assert.equal(object!.meta.response?.headers['content-type'], 'application/problem+json');
  });

  /** The real answers for a range with no data: today's `about:blank`, an older type, and none. */
  const problem = (type: string | undefined, article: string) =>
    JSON.stringify({
      ...(type ? { type } : {}),
      title: 'Not found.',
      method: 'get',
      detail:
        'The date(s) you used are valid, but we either do not have data for those date(s), or the project you asked for is not loaded yet. Please check documentation for more information.',
      uri: `/analytics.wikimedia.org/v1/pageviews/per-article/en.wikipedia/all-access/all-agents/${article}/daily/2000010100/2000010700`,
    });

  it('lands the real no-data 404 (about:blank, the HyperSwitch type, no type) byte-exact, as no data, without retrying', async () => {
    const articles = ['Foo', 'Bar', 'Baz'];
    const types = ['about:blank', 'https://mediawiki.org/wiki/HyperSwitch/errors/not_found', undefined];
    const bodies = new Map<string, string>();
    const server = track(
      await startServer((request) => {
        const index = articles.findIndex((a) => request.url.includes(`/${a}/`));
        const body = problem(types[index], articles[index]!);
        bodies.set(articles[index]!, body);
        return { status: 404, headers: { 'content-type': 'application/problem+json' }, body };
      }),
    );
    const { report, store, sleeps } = await extract(connector, {
      flags: { articles, start: '20000101', end: '20000107', base_url: server.url },
      env,
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(report.warnings, []);
    assert.equal(server.requests.length, 3, 'one request per article: a 404 is never retried');
    assert.deepEqual(sleeps, []);
    assert.deepEqual(
      report.objects.map((o) => [o.status, o.records, o.no_data]),
      articles.map(() => [404, 0, 'Wikimedia: no data for the requested dates']),
    );
    assert.equal(report.notes.length, 3);
    const objects = await landed(store);
    assert.equal(objects.length, 3);
    for (const [i, { meta, body }] of objects.entries()) {
      assert.equal(body.toString(), bodies.get(articles[i]!), 'the exact bytes');
      assert.equal(meta.no_data, 'Wikimedia: no data for the requested dates');
      assert.equal(meta.record_count, 0);
      assert.equal(meta.valid_json, true);
      assert.equal(meta.format_version, 1);
      assert.equal(meta.response?.headers['content-type'], 'application/problem+json');
    }
  });

  it('keeps a 404 that is not a no-data answer ("invalid route", an HTML page) a failure, landing nothing', async () => {
    const server = track(
      await startServer((request) =>
        request.url.includes('/Foo/')
          ? {
              status: 404,
              headers: { 'content-type': 'application/problem+json' },
              body: '{"type":"about:blank","title":"Not Found","method":"get","detail":"invalid route","uri":"/x"}',
            }
          : { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>no data</html>' },
      ),
    );
    const { report, store } = await extract(connector, {
      flags: { articles: ['Foo', 'Bar'], start: '20250101', end: '20250107', base_url: server.url },
      env,
      storeDir: await dir(),
    });
    assert.deepEqual(
      report.failures.map((f) => [f.unit, f.status]),
      [
        ['Foo', 404],
        ['Bar', 404],
      ],
    );
    assert.match(report.failures[0]!.message, /HTTP 404: invalid route/);
    assert.equal(report.objects.length, 0);
    assert.equal((await landed(store)).length, 0);
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
