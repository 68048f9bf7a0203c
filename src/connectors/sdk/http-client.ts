import type { Clock } from '../../shared/clock.ts';
import { redactor } from '../../shared/redact.ts';
import { bodyMessage } from './body-message.ts';
import { MissingCassetteError, RequestFailedError, TransportError } from './errors.ts';
import { RateLimiter } from './rate-limit.ts';
import {
  backoffDelay,
  isRetryableStatus,
  type RetryPolicy,
  rateLimitResetDelay,
  retryDelay,
  type Sleep,
} from './retry.ts';
import type { Transport, TransportResponse } from './transport.ts';

export interface HttpClientOptions {
  source: string;
  transport: Transport;
  userAgent: string;
  timeoutMs: number;
  retry: RetryPolicy;
  requestsPerSecond: number;
  clock: Clock;
  sleep: Sleep;
  random: () => number;
  /** Told about every retry, with a redacted one-line reason (the CLI logs it on stderr). */
  onRetry?: (message: string) => void;
  /** Appended to rate-limit failures, e.g. how to get a higher limit. */
  rateLimitHint?: string;
}

export interface HttpResult extends TransportResponse {
  attempts: number;
}

/**
 * GET with a User-Agent, timeouts, a per-source rate limit and retries with backoff and jitter on 429,
 * 5xx and network errors, honouring Retry-After and X-RateLimit-Reset. Returns the final response for
 * any status that is not retried (the caller decides what a 404 means); throws RequestFailedError when
 * retries run out or the server asks for a wait longer than `retry.maxWaitMs`.
 *
 * Replay answers the same bytes every time, so it is neither paced nor retried.
 */
export class HttpClient {
  private readonly limiter: RateLimiter;
  constructor(private readonly options: HttpClientOptions) {
    this.limiter = new RateLimiter(options.requestsPerSecond, options.clock, options.sleep);
  }

  get transportKind(): Transport['kind'] {
    return this.options.transport.kind;
  }

  async get(url: string, identity: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    const { transport, retry, clock, sleep, random } = this.options;
    const live = transport.kind !== 'replay';
    const maxAttempts = live ? Math.max(1, retry.maxAttempts) : 1;
    const request = {
      method: 'GET' as const,
      url,
      identity,
      source: this.options.source,
      timeoutMs: this.options.timeoutMs,
      headers: { 'user-agent': this.options.userAgent, accept: 'application/json', ...headers },
    };
    const shown = redactor.url(url);
    for (let attempt = 1; ; attempt++) {
      if (live) {
        const wait = this.limiter.waitMs();
        if (wait > retry.maxWaitMs) {
          throw new RequestFailedError(
            url,
            `GET ${shown}: the server's rate limit is used up for another ${seconds(wait)} ` +
              `(more than the ${seconds(retry.maxWaitMs)} vaultline waits); try again later${this.authHint()}`,
          );
        }
        await this.limiter.acquire();
      }
      let response: TransportResponse;
      try {
        response = await transport.send(request);
      } catch (error) {
        if (error instanceof MissingCassetteError)
          throw new RequestFailedError(url, error.message, { cause: error });
        if (!(error instanceof TransportError)) throw error;
        if (attempt >= maxAttempts) {
          throw new RequestFailedError(
            url,
            `GET ${shown}: ${error.message} (gave up after ${attempt} attempt(s))`,
            {
              cause: error,
            },
          );
        }
        const delay = backoffDelay(attempt, retry, random);
        this.options.onRetry?.(
          `GET ${shown}: ${error.message}; retry ${attempt + 1} of ${maxAttempts} in ${seconds(delay)}`,
        );
        await sleep(delay);
        continue;
      }
      const reset = rateLimitResetDelay(response.headers, clock.now());
      if (reset !== undefined) this.limiter.pauseUntil(new Date(clock.now().getTime() + reset));
      if (!isRetryableStatus(response.status, response.headers)) return { ...response, attempts: attempt };

      const message = `HTTP ${response.status}: ${bodyMessage(response.body)}`;
      if (attempt >= maxAttempts) {
        throw new RequestFailedError(url, `GET ${shown}: ${message} (gave up after ${attempt} attempt(s))`, {
          status: response.status,
        });
      }
      const { delayMs, reason } = retryDelay(response, attempt, retry, clock.now(), random);
      if (delayMs > retry.maxWaitMs) {
        throw new RequestFailedError(
          url,
          `GET ${shown}: ${message}; the server asks to wait ${seconds(delayMs)} (${reason}), more than the ` +
            `${seconds(retry.maxWaitMs)} vaultline waits; try again later${this.authHint()}`,
          { status: response.status },
        );
      }
      this.options.onRetry?.(
        `GET ${shown}: HTTP ${response.status}; retry ${attempt + 1} of ${maxAttempts} in ${seconds(delayMs)} (${reason})`,
      );
      await sleep(delayMs);
    }
  }

  private authHint(): string {
    return this.options.rateLimitHint ? ` (${this.options.rateLimitHint})` : '';
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
