import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retriesSchema } from '../config.ts';
import { retryDelayMs } from './retry.ts';

const retries = (fields: Record<string, unknown>) => retriesSchema.parse({ jitter: false, ...fields });
const never = () => {
  throw new Error('random() must not be called without jitter');
};

test('exponential, max 3: three delays doubling from initial, then no more attempts', () => {
  const config = retries({ max: 3, initial: '10s' });
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((attempt) => retryDelayMs(config, attempt, never)),
    [10_000, 20_000, 40_000, undefined, undefined],
  );
});

test('fixed: the same delay every time', () => {
  const config = retries({ max: 3, backoff: 'fixed', initial: '45s' });
  assert.deepEqual(
    [1, 2, 3, 4].map((attempt) => retryDelayMs(config, attempt, never)),
    [45_000, 45_000, 45_000, undefined],
  );
});

test('max 0 (the default): no retry', () => {
  assert.equal(
    retryDelayMs(retriesSchema.parse({}), 1, () => 0.5),
    undefined,
  );
});

test('max_delay caps the exponential growth (and a fixed delay)', () => {
  const config = retries({ max: 10, initial: '1m', max_delay: '5m' });
  assert.deepEqual(
    [1, 2, 3, 4, 10].map((attempt) => retryDelayMs(config, attempt, never)),
    [60_000, 120_000, 240_000, 300_000, 300_000],
  );
  assert.equal(
    retryDelayMs(retries({ max: 1, backoff: 'fixed', initial: '2h', max_delay: '1h' }), 1, never),
    3_600_000,
  );
  // 2^99 × initial stays finite and capped.
  assert.equal(retryDelayMs(retries({ max: 100, initial: '1s', max_delay: '1h' }), 100, never), 3_600_000);
});

test('jitter spreads each delay over [delay/2, delay]', () => {
  const config = retriesSchema.parse({ max: 3, initial: '10s', jitter: true });
  assert.equal(
    retryDelayMs(config, 1, () => 0),
    5_000,
  );
  assert.equal(
    retryDelayMs(config, 1, () => 1),
    10_000,
  );
  assert.equal(
    retryDelayMs(config, 2, () => 0.5),
    15_000,
  );
  assert.equal(
    retryDelayMs(config, 3, () => 0.999_999),
    40_000,
  );
  assert.equal(
    retryDelayMs(retriesSchema.parse({ max: 1, initial: 0.333, jitter: true }), 1, () => 0.3),
    216,
  );
  for (let i = 0; i <= 100; i++) {
    const delay = retryDelayMs(config, 2, () => i / 100)!;
    assert.ok(delay >= 10_000 && delay <= 20_000, `${delay}`);
  }
});

test('jitter applies after the cap: never above max_delay', () => {
  const config = retriesSchema.parse({ max: 5, initial: '1m', max_delay: '2m', jitter: true });
  assert.equal(
    retryDelayMs(config, 5, () => 1),
    120_000,
  );
  assert.equal(
    retryDelayMs(config, 5, () => 0),
    60_000,
  );
});

test('failedAttempt is 1-based', () => {
  assert.throws(() => retryDelayMs(retries({ max: 3 }), 0, never), RangeError);
  assert.throws(() => retryDelayMs(retries({ max: 3 }), 1.5, never), RangeError);
});
