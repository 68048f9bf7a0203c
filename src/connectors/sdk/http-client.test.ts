import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Served, startServer, type TestServer } from '../../../test/connectors/helpers.ts';
import type { Clock } from '../../shared/clock.ts';
import { RequestFailedError } from './errors.ts';
import { HttpClient } from './http-client.ts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
import { liveTransport, type Transport } from './transport.ts';
import { userAgent } from './user-agent.ts';

/** A clock that only moves when the client sleeps: waits are exact and cost no time. */
function manualTime(start = Date.parse('2025-01-15T12:00:00.000Z')) {
  let t = start;
  const sleeps: number[] = [];
  const clock: Clock = { now: () => new Date(t) };
  return {
    clock,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

function client(
  transport: Transport,
  time: ReturnType<typeof manualTime>,
  options: { retry?: Partial<RetryPolicy>; timeoutMs?: number; requestsPerSecond?: number; ua?: string } = {},
) {
  return new HttpClient({
    source: 'test',
    transport,
    userAgent: options.ua ?? 'vaultline/test',
    timeoutMs: options.timeoutMs ?? 5000,
    retry: { ...DEFAULT_RETRY, baseDelayMs: 10, ...options.retry },
    requestsPerSecond: options.requestsPerSecond ?? 0,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 1,
    rateLimitHint: 'set TEST_TOKEN for more',
  });
}

const servers: TestServer[] = [];
async function serve(script: Served[] | ((index: number) => Served)): Promise<TestServer> {
  const server = await startServer((_r, i) =>
    Array.isArray(script) ? (script[i] ?? script[script.length - 1]!) : script(i),
  );
  servers.push(server);
  return server;
}
after(() => Promise.all(servers.map((s) => s.close())));

const ok: Served = { status: 200, body: '{"ok":true}' };

describe('HttpClient against a local server', () => {
  it('honours Retry-After in seconds on a 429, then succeeds', async () => {
    const server = await serve([
      { status: 429, headers: { 'retry-after': '2' }, body: '{"message":"slow down"}' },
      ok,
    ]);
    const time = manualTime();
    const result = await client(liveTransport(), time).get(`${server.url}/a`, 'GET /a');
    assert.equal(result.status, 200);
    assert.equal(result.attempts, 2);
    assert.deepEqual(time.sleeps, [2000]);
    assert.equal(server.requests.length, 2);
  });

  it('honours Retry-After as an HTTP date, measured on the injected clock', async () => {
    const server = await serve([
      { status: 503, headers: { 'retry-after': 'Wed, 15 Jan 2025 12:00:05 GMT' } },
      ok,
    ]);
    const time = manualTime();
    await client(liveTransport(), time).get(`${server.url}/a`, 'GET /a');
    assert.deepEqual(time.sleeps, [5000]);
  });

  it('retries 500s with exponential backoff and returns the success', async () => {
    const server = await serve([{ status: 500 }, { status: 502 }, ok]);
    const time = manualTime();
    const result = await client(liveTransport(), time).get(`${server.url}/a`, 'GET /a');
    assert.equal(result.status, 200);
    assert.deepEqual(time.sleeps, [10, 20], 'base 10 ms, doubled, jitter at its maximum');
  });

  it('gives up after max attempts, with the status and the body message', async () => {
    const server = await serve([{ status: 503, body: '{"detail":"maintenance until noon"}' }]);
    const time = manualTime();
    await assert.rejects(
      client(liveTransport(), time, { retry: { maxAttempts: 3 } }).get(`${server.url}/a`, 'GET /a'),
      (error) => {
        assert.ok(error instanceof RequestFailedError);
        assert.equal(error.status, 503);
        assert.match(error.message, /HTTP 503: maintenance until noon \(gave up after 3 attempt\(s\)\)/);
        return true;
      },
    );
    assert.equal(server.requests.length, 3);
  });

  it('does not retry other 4xx: the caller gets the response', async () => {
    const server = await serve([{ status: 404, body: '{"message":"Not Found"}' }]);
    const result = await client(liveTransport(), manualTime()).get(`${server.url}/a`, 'GET /a');
    assert.equal(result.status, 404);
    assert.equal(server.requests.length, 1);
  });

  it('times out a request that never answers, retries it, then fails naming the timeout', async () => {
    const server = await serve([{ hang: true }]);
    const time = manualTime();
    await assert.rejects(
      client(liveTransport(), time, { timeoutMs: 200, retry: { maxAttempts: 2 } }).get(
        `${server.url}/slow`,
        'GET /slow',
      ),
      /GET http:\/\/127\.0\.0\.1:\d+\/slow: timed out after 200 ms \(gave up after 2 attempt\(s\)\)/,
    );
    // How many requests reached the server before each abort depends on machine load: not asserted.
    assert.equal(time.sleeps.length, 1, 'one backoff between the two attempts');
  });

  it('retries network errors and then fails naming them', async () => {
    const server = await serve([ok]);
    const url = `${server.url}/gone`;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const time = manualTime();
    await assert.rejects(
      client(liveTransport(), time, { retry: { maxAttempts: 2 } }).get(url, 'GET /gone'),
      /network error: ECONNREFUSED/,
    );
    assert.equal(time.sleeps.length, 1);
  });

  it('waits for a GitHub rate-limit reset on 403 + X-RateLimit-Remaining: 0', async () => {
    const reset = String(Date.parse('2025-01-15T12:00:10Z') / 1000);
    const server = await serve([
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
      ok,
    ]);
    const time = manualTime();
    const result = await client(liveTransport(), time).get(`${server.url}/a`, 'GET /a');
    assert.equal(result.status, 200);
    assert.deepEqual(time.sleeps, [11_000]);
  });

  it('fails at once when the reset is further away than it will wait, with the hint', async () => {
    const reset = String(Date.parse('2025-01-15T14:00:00Z') / 1000);
    const server = await serve([
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } },
    ]);
    const time = manualTime();
    await assert.rejects(
      client(liveTransport(), time).get(`${server.url}/a`, 'GET /a'),
      /asks to wait 7201\.0 s \(X-RateLimit-Reset\).*set TEST_TOKEN for more/,
    );
    assert.equal(server.requests.length, 1);
    assert.deepEqual(time.sleeps, []);
  });

  it('pauses the next request when a success says the quota is spent', async () => {
    const server = await serve([
      { ...ok, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' } },
      ok,
    ]);
    const time = manualTime();
    const http = client(liveTransport(), time);
    await http.get(`${server.url}/a`, 'GET /a');
    await http.get(`${server.url}/b`, 'GET /b');
    assert.deepEqual(time.sleeps, [3000]);
  });

  it('paces requests to the per-source rate limit', async () => {
    const server = await serve([ok]);
    const time = manualTime();
    const http = client(liveTransport(), time, { requestsPerSecond: 2 });
    for (const path of ['/1', '/2', '/3']) await http.get(`${server.url}${path}`, `GET ${path}`);
    assert.deepEqual(time.sleeps, [500, 500]);
  });

  it('sends a descriptive User-Agent from HTTP_APP_NAME and HTTP_CONTACT', async () => {
    const server = await serve([ok]);
    const ua = userAgent({ HTTP_APP_NAME: 'my-app', HTTP_CONTACT: 'me@example.com' });
    await client(liveTransport(), manualTime(), { ua }).get(`${server.url}/a`, 'GET /a');
    assert.match(ua, /^vaultline\/\d+\.\d+\.\d+ \(my-app; me@example\.com\)$/);
    assert.equal(server.requests[0]!.headers['user-agent'], ua);
  });

  it('neither paces nor retries a replayed answer: a cassette always says the same', async () => {
    let calls = 0;
    const replay: Transport = {
      kind: 'replay',
      async send() {
        calls++;
        return { status: 500, headers: {}, body: Buffer.from('{"message":"recorded failure"}') };
      },
    };
    const time = manualTime();
    await assert.rejects(
      client(replay, time, { requestsPerSecond: 1 }).get('https://x.invalid/a', 'GET /a'),
      /recorded failure/,
    );
    assert.equal(calls, 1);
    assert.deepEqual(time.sleeps, []);
  });
});
