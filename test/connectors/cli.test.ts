import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalStore } from '../../src/landing/local-store.ts';
import { verifyStore } from '../../src/landing/verify.ts';
import {
  allText,
  cassetteServer,
  exampleConnectorsYaml,
  REPO,
  startServer,
  type TestServer,
  tempDir,
  tempProject,
} from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((c) => c())));
function track<T extends TestServer>(server: T): T {
  cleanups.push(() => server.close());
  return server;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/vaultline.js in `cwd` with only the environment given (no inherited keys or contacts). */
function vaultline(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO, 'bin/vaultline.js'), ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function project(yaml = ''): Promise<string> {
  const p = await tempProject(yaml);
  cleanups.push(p.cleanup);
  return p.dir;
}

describe('vaultline extract (end to end through bin/vaultline.js)', () => {
  it('extract --all replays every configured source and prints the summary table', async () => {
    const dir = await project(await exampleConnectorsYaml());
    const result = await vaultline(dir, ['extract', '--all']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^source\s+objects\s+records\s+bytes\s+invalid_json\s+failures$/);
    assert.match(result.stdout, /^worldbank\s+12\s+60\s+13166\s+0\s+0$/m);
    assert.match(result.stdout, /^spacex\s+3\s+18\s+\d+\s+0\s+0$/m);
    assert.match(result.stdout, /^total\s+26\s+178\s+\d+\s+0\s+0$/m);
    assert.match(result.stderr, /github: extracting from replay /);
    assert.match(result.stderr, /warn: wikimedia: München: 1 day\(s\) without an item/);
    const report = await verifyStore(new LocalStore(join(dir, '.vaultline/raw')));
    assert.equal(report.checked, 26);
    assert.deepEqual(report.problems, []);
  });

  it('--json lists key, bytes, records and sha256 for every landed object', async () => {
    const dir = await project();
    const server = track(await cassetteServer('usgs'));
    const result = await vaultline(dir, [
      'extract',
      'usgs',
      '--feed',
      'all_day',
      '--feed',
      'significant_week',
      '--base-url',
      server.url,
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    const objects = output.sources[0].objects as {
      key: string;
      bytes: number;
      records: number;
      sha256: string;
    }[];
    assert.equal(objects.length, 2);
    for (const object of objects) {
      assert.match(
        object.key,
        /^usgs\/earthquakes\/load_date=\d{4}-\d{2}-\d{2}\/\d{8}T\d{9}Z_[0-9a-f]{16}\.json\.gz$/,
      );
      assert.match(object.sha256, /^[0-9a-f]{64}$/);
      assert.ok(object.bytes > 0);
    }
    assert.deepEqual(
      objects.map((o) => o.records),
      [12, 2],
    );
    assert.match(output.run_id, /^[0-9a-f-]{36}$/, 'one run id for the whole extract');
  });

  it('exits 2 without OPENAQ_API_KEY for a live call, having requested nothing', async () => {
    const dir = await project();
    const server = track(await startServer(() => ({ body: '{}' })));
    const result = await vaultline(dir, [
      'extract',
      'openaq',
      '--sensor-id',
      '3917',
      '--base-url',
      server.url,
    ]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /api_key is required to call the live API.*OPENAQ_API_KEY.*\(nothing was requested\)/,
    );
    assert.equal(server.requests.length, 0);
  });

  it('exits 1 when a request fails after retries; what landed before stays', async () => {
    const dir = await project();
    const server = track(
      await startServer((r) =>
        r.url.includes('all_week')
          ? { status: 500, body: 'upstream down' }
          : { body: '{"type":"FeatureCollection","features":[]}' },
      ),
    );
    const result = await vaultline(dir, [
      'extract',
      'usgs',
      '--feed',
      'all_day,all_week',
      '--base-url',
      server.url,
      '--max-attempts',
      '2',
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /1 request\(s\) failed after retries; the 1 object\(s\) landed stay in/);
    assert.match(
      result.stderr,
      /usgs all_week: GET .*all_week\.geojson: HTTP 500: upstream down \(gave up after 2 attempt\(s\)\)/,
    );
    assert.equal(result.stdout.trim().split('\n').length, 1, 'the key of the all_day object');
    assert.equal(server.requests.length, 3);
  });

  it('an unknown source exits 2 with a suggestion', async () => {
    const typo = await vaultline(await project(), ['extract', 'usgss']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown source "usgss" \(did you mean "usgs"\?\)/);
  });

  it('with OPENAQ_API_KEY=secret-123, the key appears nowhere: store, cassettes, stdout, stderr', async () => {
    const dir = await project();
    const cassettes = await tempDir();
    cleanups.push(async () =>
      (await import('node:fs/promises')).rm(cassettes, { recursive: true, force: true }),
    );
    const served = await cassetteServer('openaq');
    const server = track(
      await startServer(async (request) => {
        if (request.url.startsWith('/v3/sensors/9999/')) {
          // A server that echoes the key back, in a header and in the error body.
          return {
            status: 401,
            headers: { 'x-echo-key': String(request.headers['x-api-key']) },
            body: `{"detail":"invalid key ${request.headers['x-api-key']}"}`,
          };
        }
        const res = await fetch(`${served.url}${request.url}`);
        return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
      }),
    );
    cleanups.push(() => served.close());
    const args = [
      'extract',
      'openaq',
      '--sensor-id',
      '3917,9999',
      '--limit',
      '5',
      '--date-from',
      '2025-01-14T00:00:00Z',
      '--date-to',
      '2025-01-14T08:00:00Z',
    ];
    const result = await vaultline(
      dir,
      ['--verbose', ...args, '--base-url', server.url, '--record', cassettes],
      { OPENAQ_API_KEY: 'secret-123' },
    );
    assert.equal(result.code, 1, 'sensor 9999 is refused');
    assert.match(result.stderr, /HTTP 401: invalid key \*\*\*/);
    assert.ok(
      server.requests.every((r) => r.headers['x-api-key'] === 'secret-123'),
      'the key was sent',
    );
    assert.equal(server.requests.length, 3);

    // Replay what was recorded, without the key: same pages, nothing from the network.
    const replay = await vaultline(dir, [
      ...args.slice(0, 3),
      '3917',
      ...args.slice(4),
      '--replay',
      cassettes,
      '--json',
    ]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.deepEqual(
      JSON.parse(replay.stdout).sources[0].objects.map((o: { records: number }) => o.records),
      [5, 3],
    );

    const everything = [
      result.stdout,
      result.stderr,
      replay.stdout,
      replay.stderr,
      await allText(join(dir, '.vaultline')),
      await allText(cassettes),
    ].join('\n');
    assert.ok(everything.includes('x-api-key'), 'the header name is there, redacted');
    assert.ok(!everything.includes('secret-123'), 'the secret leaked');
  });
});
