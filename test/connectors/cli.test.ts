import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalStore } from '../../src/landing/local-store.ts';
import { verifyStore } from '../../src/landing/verify.ts';
import {
  allText,
  BUNDLED,
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
    assert.match(
      lines[0]!,
      /^source\s+objects\s+records\s+bytes\s+no_data\s+invalid_json\s+skipped\s+failures$/,
    );
    assert.match(result.stdout, /^worldbank\s+12\s+60\s+13166\s+0\s+0\s+0\s+0$/m);
    assert.match(result.stdout, /^spacex\s+3\s+18\s+\d+\s+0\s+0\s+0\s+0$/m);
    assert.match(result.stdout, /^total\s+26\s+178\s+\d+\s+0\s+0\s+0\s+0$/m);
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
    assert.match(
      result.stderr,
      /extract failed for usgs \(1 request\(s\) failed\); the 1 object\(s\) landed stay in/,
    );
    assert.match(
      result.stderr,
      /usgs all_week: GET .*all_week\.geojson: HTTP 500: upstream down \(gave up after 2 attempt\(s\)\)/,
    );
    assert.equal(result.stdout.trim().split('\n').length, 1, 'the key of the all_day object');
    assert.equal(server.requests.length, 3);
  });

  /** A server answering each source with a body builds will have to skip (GitHub: on its second page). */
  async function badBodies(): Promise<TestServer> {
    const html = {
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Service Unavailable</body></html>',
    };
    return track(
      await startServer((request, _i, base) => {
        if (request.url.startsWith('/earthquakes/')) return html;
        if (request.url.startsWith('/v2/')) return html;
        if (request.url.startsWith('/v4/'))
          return {
            body: Buffer.from('[{"name":"S\xe3o Paulo","rocket":"5e9d0d95eda69973a809d1ec"}]', 'latin1'),
          };
        if (request.url.startsWith('/v3/'))
          return {
            body: Buffer.from('{"meta":{"found":1},"results":[{"value":1,"unit":"\xb5g/m\xb3"}]}', 'latin1'),
          };
        if (request.url.includes('page=2')) return html;
        return {
          headers: { link: `<${base}/repositories/1/commits?per_page=100&page=2>; rel="next"` },
          body: '[{"sha":"a","commit":{"committer":{"date":"2025-01-02T00:00:00Z"}}}]',
        };
      }),
    );
  }
  const badConfig = (url: string, extra = '') =>
    'connectors:\n' +
    `  usgs:\n    base_url: ${url}\n    feeds: [all_day]\n${extra}` +
    `  spacex:\n    base_url: ${url}\n    resources: [launches]\n${extra}` +
    `  worldbank:\n    base_url: ${url}\n    indicators: [SP.POP.TOTL]\n    countries: [ZA]\n${extra}` +
    `  github:\n    base_url: ${url}\n    owner: octocat\n    repo: Hello-World\n${extra}` +
    `  openaq:\n    base_url: ${url}\n    sensor_ids: [3917]\n${extra}`;

  it('exits 1 when it landed bodies builds will skip (HTML with 200, latin-1), paged and unpaged alike, listing them', async () => {
    const server = await badBodies();
    const dir = await project(badConfig(server.url));
    const result = await vaultline(
      dir,
      ['extract', '--all', '--rate-limit', '0', '--max-attempts', '1', '--json'],
      {
        OPENAQ_API_KEY: 'k-0000',
      },
    );
    assert.equal(result.code, 1, result.stderr);
    const output = JSON.parse(result.stdout) as {
      summary: { source: string; objects: number; invalid_json: number; skipped: number; failures: number }[];
      skipped: { source: string; key: string; reason: string }[];
    };
    assert.deepEqual(
      output.summary.map((r) => [r.source, r.objects, r.invalid_json, r.skipped, r.failures]),
      [
        ['usgs', 1, 1, 1, 0],
        ['spacex', 1, 1, 1, 0],
        ['worldbank', 1, 1, 1, 1],
        ['github', 2, 1, 1, 0],
        ['openaq', 1, 1, 1, 1],
        ['total', 6, 5, 5, 2],
      ],
    );
    assert.deepEqual(
      output.skipped.map((b) => b.source),
      ['usgs', 'spacex', 'worldbank', 'github', 'openaq'],
    );
    assert.match(output.skipped[1]!.reason, /^not valid JSON: not valid UTF-8 at byte 11 \(0xe3\)$/);
    assert.match(
      result.stderr,
      /extract failed for usgs, spacex, worldbank, github, openaq \(2 request\(s\) failed, 5 landed body\(ies\) will be skipped by builds\)/,
    );
    for (const body of output.skipped) assert.ok(result.stderr.includes(body.key), `${body.key} is named`);
    assert.match(
      result.stderr,
      /usgs: 1 landed body\(ies\) not valid JSON, more than max_invalid_bodies allows \(0;/,
    );
  });

  it('tolerates bodies that are not valid JSON up to connectors.<source>.max_invalid_bodies, with a warning', async () => {
    const server = await badBodies();
    const dir = await project(
      badConfig(server.url, '    max_invalid_bodies: 1\n').replace(/ {2}worldbank:[\s\S]*$/, ''),
    );
    const result = await vaultline(dir, ['extract', '--all', '--rate-limit', '0']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^usgs\s+1\s+0\s+\d+\s+0\s+1\s+1\s+0$/m);
    assert.match(
      result.stderr,
      /warn: usgs: 1 landed body\(ies\) not valid JSON, tolerated \(max_invalid_bodies: 1\); builds will skip:\n\s+usgs\/earthquakes\/\S+\.json\.gz: not valid JSON: /,
    );
    assert.match(result.stderr, /warn: spacex: 1 landed body\(ies\) not valid JSON, tolerated/);
  });

  it('checks max_invalid_bodies like the other connector settings, naming file and line', async () => {
    const dir = await project('connectors:\n  usgs:\n    feeds: [all_day]\n    max_invalid_bodies: many\n');
    const result = await vaultline(dir, ['extract', '--all']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /usgs: \S*vaultline\.yml:5 connectors\.usgs\.max_invalid_bodies: must be a whole number \(got "many"\)/,
    );
    const negative = await vaultline(await project('connectors:\n  usgs:\n    max_invalid_bodies: -1\n'), [
      'extract',
      '--all',
    ]);
    assert.equal(negative.code, 2);
    assert.match(negative.stderr, /connectors\.usgs\.max_invalid_bodies: must be at least 0 \(got -1\)/);
  });

  it('exits 0 for no-data answers (Wikimedia 404, World Bank empty), landing them and saying so', async () => {
    const server = track(
      await startServer((request) =>
        request.url.startsWith('/v2/')
          ? {
              body: '[{"page":0,"pages":0,"per_page":50,"lastupdated":"2024-06-28","total":0,"sourceid":null},null]',
            }
          : {
              status: 404,
              headers: { 'content-type': 'application/problem+json' },
              body: '{"type":"about:blank","title":"Not found.","method":"get","detail":"The date(s) you used are valid, but we either do not have data for those date(s), or the project you asked for is not loaded yet. Please check documentation for more information.","uri":"/analytics.wikimedia.org/v1/pageviews/per-article/en.wikipedia/all-access/all-agents/Foo/daily/2000010100/2000010700"}',
            },
      ),
    );
    const dir = await project(
      'connectors:\n' +
        `  wikimedia:\n    base_url: ${server.url}\n    articles: [Foo]\n    start: "20000101"\n    end: "20000107"\n` +
        `  worldbank:\n    base_url: ${server.url}\n    indicators: [SP.POP.TOTL]\n    countries: [ZA]\n`,
    );
    const result = await vaultline(dir, ['extract', '--all', '--rate-limit', '0'], {
      HTTP_CONTACT: 'tests@example.com',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^wikimedia\s+1\s+0\s+\d+\s+1\s+0\s+0\s+0$/m);
    assert.match(result.stdout, /^worldbank\s+1\s+0\s+\d+\s+1\s+0\s+0\s+0$/m);
    assert.match(
      result.stderr,
      /^wikimedia: \S+: no data: Wikimedia: no data for the requested dates \(HTTP 404/m,
    );
    assert.match(result.stderr, /^worldbank: \S+: no data: World Bank: no data for this country/m);
    assert.doesNotMatch(result.stderr, /warn|error/);
    assert.equal(server.requests.length, 2, 'no retry, no second page');
  });

  it('an unknown source exits 2 with a suggestion', async () => {
    const typo = await vaultline(await project(), ['extract', 'usgss']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown source "usgss" \(did you mean "usgs"\?\)/);
  });

  it('wikimedia --project is the wiki; the project folder goes before the verb (README command as written)', async () => {
    const dir = await project();
    const wiki = [
      '--article',
      'Nelson_Mandela',
      '--start',
      '20250101',
      '--end',
      '20250107',
      '--replay',
      BUNDLED,
    ];
    const [inProject, fromParent, help] = await Promise.all([
      vaultline(dir, ['extract', 'wikimedia', '--project', 'en.wikipedia.org', ...wiki]),
      vaultline(join(dir, '..'), [
        '--project',
        dir,
        'extract',
        'wikimedia',
        '--project',
        'en.wikipedia.org',
        ...wiki,
        '--json',
      ]),
      vaultline(dir, ['extract', 'wikimedia', '--help']),
    ]);
    assert.equal(inProject.code, 0, inProject.stderr);
    assert.match(inProject.stdout, /^wikimedia\/pageviews\//);
    assert.equal(fromParent.code, 0, fromParent.stderr);
    assert.equal(JSON.parse(fromParent.stdout).sources[0].objects.length, 1, '--json after the verb');
    const store = await allText(join(dir, '.vaultline/raw'));
    assert.match(store, /per-article\/en\.wikipedia\.org\/all-access/);
    assert.match(help.stdout, /--project <domain> +Wikimedia project domain/);
    assert.match(help.stdout, /--wiki-project <domain> +the same as --project/);
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
