/**
 * When to retry and how long to wait. Pure functions of the response and the clock, so every rule is
 * tested without sleeping: the client asks `retryDelay` and sleeps through an injected `sleep`.
 */
export interface RetryPolicy {
  /** Attempts in total, the first one included (1 = never retry). */
  maxAttempts: number;
  /** First backoff; doubles per attempt. */
  baseDelayMs: number;
  /** Cap of one exponential backoff step. */
  maxDelayMs: number;
  /** A server asking to wait longer than this (Retry-After, rate-limit reset) fails the request instead. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 120_000,
};

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so clients spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/**
 * `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset` → how long until the quota refills. GitHub sends
 * the reset as epoch seconds; others (OpenAQ, the IETF RateLimit draft) as seconds from now — a value
 * below 10^9 cannot be a recent epoch, so it is read as a delta.
 */
export function rateLimitResetDelay(headers: Record<string, string>, now: Date): number | undefined {
  if (headers['x-ratelimit-remaining']?.trim() !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(reset) || reset < 0) return undefined;
  if (reset < 1e9) return Math.round(reset * 1000);
  // One extra second: the reset instant is truncated to whole seconds by the server.
  return Math.max(0, reset * 1000 - now.getTime() + 1000);
}

/** Status codes worth another attempt: throttling and server errors, and GitHub's 403 rate limits. */
export function isRetryableStatus(status: number, headers: Record<string, string>): boolean {
  if (status === 429 || status >= 500) return true;
  return (
    status === 403 &&
    (headers['x-ratelimit-remaining']?.trim() === '0' || headers['retry-after'] !== undefined)
  );
}

/**
 * How long to wait before retrying a retryable response: the server's own instruction when it gave
 * one (Retry-After, then the rate-limit reset), else exponential backoff with jitter.
 */
export function retryDelay(
  response: { status: number; headers: Record<string, string> },
  attempt: number,
  policy: RetryPolicy,
  now: Date,
  random: () => number,
): { delayMs: number; reason: string } {
  const retryAfter = parseRetryAfter(response.headers['retry-after'], now);
  if (retryAfter !== undefined) return { delayMs: retryAfter, reason: 'Retry-After' };
  const reset = rateLimitResetDelay(response.headers, now);
  if (reset !== undefined) return { delayMs: reset, reason: 'X-RateLimit-Reset' };
  return { delayMs: backoffDelay(attempt, policy, random), reason: 'backoff' };
}
