import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  rateLimitResetDelay,
  retryDelay,
} from './retry.ts';

const now = new Date('2025-01-15T12:00:00.000Z');

describe('retry rules', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('0.5', now), 500);
    assert.equal(parseRetryAfter('Wed, 15 Jan 2025 12:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Wed, 15 Jan 2025 11:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('backs off exponentially with jitter inside [step/2, step], capped', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(1, policy, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(1, policy, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, policy, () => 1),
      400,
    );
    assert.equal(
      backoffDelay(10, policy, () => 1),
      1000,
      'capped at maxDelayMs',
    );
  });

  it('waits for a GitHub rate-limit reset (epoch seconds) or an OpenAQ one (seconds from now)', () => {
    const reset = String(now.getTime() / 1000 + 30);
    assert.equal(
      rateLimitResetDelay({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now),
      31_000,
    );
    assert.equal(
      rateLimitResetDelay({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '42' }, now),
      42_000,
    );
    assert.equal(
      rateLimitResetDelay({ 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': reset }, now),
      undefined,
    );
  });

  it('retries 429, 5xx and rate-limited 403s, not other 4xx', () => {
    assert.equal(isRetryableStatus(429, {}), true);
    assert.equal(isRetryableStatus(503, {}), true);
    assert.equal(isRetryableStatus(403, { 'x-ratelimit-remaining': '0' }), true);
    assert.equal(isRetryableStatus(403, {}), false);
    assert.equal(isRetryableStatus(404, {}), false);
    assert.equal(isRetryableStatus(400, {}), false);
  });

  it("prefers the server's Retry-After, then its rate-limit reset, then backoff", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100 };
    assert.deepEqual(
      retryDelay({ status: 429, headers: { 'retry-after': '2' } }, 1, policy, now, () => 0),
      {
        delayMs: 2000,
        reason: 'Retry-After',
      },
    );
    assert.deepEqual(
      retryDelay(
        { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5' } },
        1,
        policy,
        now,
        () => 0,
      ),
      { delayMs: 5000, reason: 'X-RateLimit-Reset' },
    );
    assert.deepEqual(
      retryDelay({ status: 500, headers: {} }, 2, policy, now, () => 0),
      { delayMs: 100, reason: 'backoff' },
    );
  });
});
