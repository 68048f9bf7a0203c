import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connector as github } from '../../src/connectors/github/connector.ts';
import { prepareJob } from '../../src/connectors/sdk/prepare.ts';
import { checkJob } from '../../src/connectors/sdk/run.ts';
import { connector as worldbank } from '../../src/connectors/worldbank/connector.ts';
import { LocalStore } from '../../src/landing/local-store.ts';
import { startServer, type TestServer, tempDir } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((c) => c())));
function track<T extends TestServer>(server: T): T {
  cleanups.push(() => server.close());
  return server;
}

describe('connection tests (--check)', () => {
  it('make one request, land nothing and say what they found', async () => {
    const dir = await tempDir();
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const store = new LocalStore(join(dir, 'raw'));
    const server = track(
      await startServer((r) =>
        r.url.startsWith('/v2/')
          ? { body: '[{"page":1,"pages":64,"per_page":1,"total":64},[{"value":62649000}]]' }
          : {
              headers: { 'x-ratelimit-remaining': '59' },
              body: '{"full_name":"octocat/Hello-World","default_branch":"master"}',
            },
      ),
    );
    const wb = prepareJob(worldbank, {
      flags: { indicators: ['SP.POP.TOTL'], countries: ['ZA'], base_url: server.url },
      env: {},
      cwd: dir,
    });
    assert.deepEqual(await checkJob(wb.job!, { store, runId: 'check' }), {
      ok: true,
      message: 'ZA/SP.POP.TOTL: 64 value(s) available',
    });
    assert.equal(
      server.requests[0]!.url,
      '/v2/country/ZA/indicator/SP.POP.TOTL?format=json&per_page=1&page=1',
    );

    const gh = prepareJob(github, {
      flags: { owner: 'octocat', repo: 'Hello-World', base_url: server.url },
      env: {},
      cwd: dir,
    });
    assert.deepEqual(await checkJob(gh.job!, { store, runId: 'check' }), {
      ok: true,
      message: 'octocat/Hello-World (default branch master); 59 request(s) left this hour',
    });
    const listed = [];
    for await (const object of store.list()) listed.push(object);
    assert.deepEqual(listed, []);
  });

  it('report a refusal as a failed check', async () => {
    const server = track(await startServer(() => ({ status: 404, body: '{"message":"Not Found"}' })));
    const gh = prepareJob(github, {
      flags: { owner: 'octocat', repo: 'nope', base_url: server.url },
      env: {},
      cwd: '/',
    });
    const result = await checkJob(gh.job!, { store: new LocalStore('/nonexistent'), runId: 'check' });
    assert.equal(result.ok, false);
    assert.match(result.message, /HTTP 404: Not Found/);
  });
});
