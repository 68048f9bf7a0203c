import { setTimeout as sleepFor } from 'node:timers/promises';
import type { OrchestratorClock } from './types.ts';

export const systemOrchestratorClock: OrchestratorClock = {
  now: () => new Date(),
  sleep: (ms, signal) => sleepFor(Math.max(0, ms), undefined, signal ? { signal } : {}),
};

/**
 * A clock that moves only when told (tests, the soak benchmark): `advance(ms)` wakes every sleeper
 * whose time has come, in order, letting each one's continuation run before waking the next.
 */
export class ManualClock implements OrchestratorClock {
  private current: number;
  private sleepers: Array<{ until: number; resolve: () => void }> = [];

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      // A sleep that ends normally lets go of the signal: a loop sleeping on one long-lived signal
      // (the scheduler's) must not pile up a listener per wake.
      const sleeper = {
        until: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** How many sleep() calls are waiting (tests wait for the code under test to reach its sleep). */
  get waiting(): number {
    return this.sleepers.length;
  }

  /** The earliest time a sleeper waits for. */
  get nextWake(): Date | undefined {
    const next = Math.min(...this.sleepers.map((s) => s.until));
    return Number.isFinite(next) ? new Date(next) : undefined;
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(new Date(this.current + ms));
  }

  async advanceTo(target: Date): Promise<void> {
    const end = target.getTime();
    for (;;) {
      const due = this.sleepers.filter((s) => s.until <= end).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.until);
      this.sleepers = this.sleepers.filter((s) => s !== due);
      due.resolve();
      // Let the woken code run up to its next await before time moves on.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = Math.max(this.current, end);
  }
}
