import type { Clock } from '../../shared/clock.ts';
import type { Sleep } from './retry.ts';

/**
 * Per-source pacing: at most `requestsPerSecond` request starts per second, plus a pause until a
 * moment the server named (a rate limit that ran out). Uses the injected clock and sleep.
 */
export class RateLimiter {
  private nextStart = 0;
  private pausedUntil = 0;
  constructor(
    private readonly requestsPerSecond: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {}

  /** How long the next request would have to wait right now, in ms. */
  waitMs(): number {
    const now = this.clock.now().getTime();
    return Math.max(0, Math.max(this.nextStart, this.pausedUntil) - now);
  }

  async acquire(): Promise<void> {
    const wait = this.waitMs();
    if (wait > 0) await this.sleep(wait);
    const start = Math.max(this.clock.now().getTime(), this.nextStart);
    this.nextStart = this.requestsPerSecond > 0 ? start + 1000 / this.requestsPerSecond : start;
  }

  /** The server said its quota is spent until `until`: no request starts before then. */
  pauseUntil(until: Date): void {
    this.pausedUntil = Math.max(this.pausedUntil, until.getTime());
  }
}
