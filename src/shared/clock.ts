import { randomUUID } from 'node:crypto';

/**
 * Time and ids are injected so that load timestamps and run ids are reproducible in tests.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and advances `stepMs` on every call: distinct, ordered, repeatable. */
export function steppingClock(start: Date, stepMs = 1): Clock {
  let next = start.getTime();
  return {
    now() {
      const current = new Date(next);
      next += stepMs;
      return current;
    },
  };
}

export interface IdGenerator {
  next(): string;
}

export const randomIds: IdGenerator = { next: () => randomUUID() };

export function sequentialIds(prefix = 'id'): IdGenerator {
  let n = 0;
  return { next: () => `${prefix}-${String(++n).padStart(6, '0')}` };
}
