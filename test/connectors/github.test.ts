import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { connector } from '../../src/connectors/github/connector.ts';
import {
  allText,
  cassetteServer,
  extract,
  landed,
  type Served,
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
interface Commit {
  author: unknown;
  committer: unknown;
  parents: unknown[];
  commit: { message: string };
}
const repo = { owner: 'octocat', repo: 'Hello-World', per_page: '5' };

describe('github connector', () => {
  it('follows Link headers (even when a mirror echoes the real host) and lands each page', async () => {
    const server = track(await cassetteServer('github'));
    const { report, store } = await extract(connector, {
      flags: { ...repo, base_url: server.url },
      storeDir: await dir(),
    });
    assert.deepEqual(report.failures, []);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ['/repos/octocat/Hello-World/commits?per_page=5', '/repositories/1296269/commits?per_page=5&page=2'],
    );
    assert.deepEqual(
      report.objects.map((o) => o.records),
      [5, 3],
    );
    const objects = await landed(store, 'github/commits/');
    for (const { meta, body } of objects) {
      assert.ok(body.equals(server.bodies.get(meta.request.url.slice(server.url.length))!), 'byte-identical');
      assert.match(meta.response?.headers.link ?? '', /rel="(next|prev)"/);
    }
    const commits = objects.flatMap(({ body }) => JSON.parse(body.toString()) as Commit[]);
    assert.equal(commits.length, 8);
    assert.ok(
      commits.some((c) => c.author === null && c.committer === null),
      'a commit whose email maps to no account',
    );
    assert.ok(
      commits.some((c) => c.parents.length === 2),
      'a merge commit',
    );
    assert.ok(
      commits.some((c) => c.commit.message.split('\n').length > 3),
      'a multi-line message',
    );
  });

  it('is incremental: the next run asks from the newest commit date already landed (cursor in _state/)', async () => {
    const server = track(await cassetteServer('github'));
    const storeDir = await dir();
    const first = await extract(connector, { flags: { ...repo, base_url: server.url }, storeDir });
    assert.deepEqual(await first.store.getState('github/commits/octocat/hello-world/default-branch'), {
      newest_commit_date: '2025-01-14T09:30:12Z',
      run_id: 'run-test-0001',
    });
    const second = await extract(connector, { flags: { ...repo, base_url: server.url }, storeDir });
    assert.deepEqual(second.report.failures, []);
    assert.equal(
      server.requests.at(-1)!.url,
      '/repos/octocat/Hello-World/commits?since=2025-01-14T09:30:12Z&per_page=5',
    );
    assert.deepEqual(
      second.report.objects.map((o) => o.records),
      [1],
    );

    await extract(connector, { flags: { ...repo, base_url: server.url, full: true }, storeDir });
    assert.equal(
      server.requests.at(-2)!.url,
      '/repos/octocat/Hello-World/commits?per_page=5',
      '--full ignores the cursor',
    );
  });

  it('an explicit --since wins over the stored cursor', async () => {
    const server = track(await startServer(() => ({ body: '[]' })));
    const storeDir = await dir();
    const { store } = await extract(connector, { flags: { ...repo, base_url: server.url }, storeDir });
    await store.putState('github/commits/octocat/hello-world/default-branch', {
      newest_commit_date: '2025-01-14T09:30:12Z',
    });
    await extract(connector, {
      flags: { ...repo, base_url: server.url, since: '2024-01-01', branch: 'main' },
      storeDir,
    });
    assert.equal(
      server.requests.at(-1)!.url,
      '/repos/octocat/Hello-World/commits?sha=main&since=2024-01-01T00:00:00Z&per_page=5',
    );
  });

  it('does not move the cursor when a later page fails, so nothing is skipped next time', async () => {
    const server = track(
      await startServer((request, _i, base) =>
        request.url.includes('page=2')
          ? { status: 502, body: 'Bad Gateway' }
          : {
              headers: { link: `<${base}/repositories/1/commits?per_page=5&page=2>; rel="next"` },
              body: JSON.stringify([
                {
                  sha: 'a',
                  commit: { committer: { date: '2025-01-02T00:00:00Z' } },
                  author: null,
                  parents: [],
                },
              ]),
            },
      ),
    );
    const { report, store } = await extract(connector, {
      flags: { ...repo, base_url: server.url, max_attempts: '2' },
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 1, 'page 1 stays landed');
    assert.equal(report.failures.length, 1);
    assert.match(report.failures[0]!.message, /HTTP 502: Bad Gateway \(gave up after 2 attempt\(s\)\)/);
    assert.equal(await store.getState('github/commits/octocat/hello-world/default-branch'), undefined);
  });

  it('does not move the cursor past a page that is not valid JSON (its commits would be lost)', async () => {
    const server = track(
      await startServer(
        (request, _i, base): Served =>
          request.url.includes('page=2')
            ? {
                headers: { 'content-type': 'text/html' },
                body: '<!DOCTYPE html><html><body>Unicorn!</body></html>',
              }
            : {
                headers: { link: `<${base}/repositories/1/commits?per_page=5&page=2>; rel="next"` },
                body: JSON.stringify([
                  {
                    sha: 'a',
                    commit: { committer: { date: '2025-01-02T00:00:00Z' } },
                    author: null,
                    parents: [],
                  },
                ]),
              },
      ),
    );
    const { report, store } = await extract(connector, {
      flags: { ...repo, base_url: server.url },
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 2, 'both pages landed');
    assert.deepEqual(report.failures, [], 'Link-header paging does not need the body');
    assert.equal(report.objects[1]!.valid_json, false);
    assert.ok(report.warnings.some((w) => /1 page\(s\) not valid JSON; the cursor stays at none/.test(w)));
    assert.equal(await store.getState('github/commits/octocat/hello-world/default-branch'), undefined);
  });

  it('refuses to follow a Link to another host', async () => {
    const server = track(
      await startServer(() => ({
        headers: { link: '<https://elsewhere.example/x?page=2>; rel="next"' },
        body: '[]',
      })),
    );
    const { report } = await extract(connector, {
      flags: { ...repo, base_url: server.url },
      storeDir: await dir(),
    });
    assert.equal(report.objects.length, 1);
    assert.match(report.failures[0]!.message, /outside the base URL .*not following it/);
  });

  it('sends GITHUB_TOKEN as a bearer token and keeps it out of the landing store', async () => {
    const server = track(await startServer(() => ({ body: '[]' })));
    const storeDir = await dir();
    const token = 'ghp_testtoken_9f8e7d6c';
    const { report } = await extract(connector, {
      flags: { ...repo, base_url: server.url },
      env: { GITHUB_TOKEN: token },
      storeDir,
    });
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${token}`);
    assert.equal(server.requests[0]!.headers.accept, 'application/vnd.github+json');
    assert.ok(!JSON.stringify(report).includes(token));
    assert.ok(!(await allText(storeDir)).includes(token));
  });
});
