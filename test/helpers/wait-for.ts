/**
 * Waits until `items` holds at least `n` entries, for receivers that record what they got. `notify` is
 * called by the receiver after each new entry; the timeout only guards against a test hanging forever.
 */
export function countWaiter<T>(items: T[], what: string) {
  const waiters = new Set<() => void>();
  return {
    notify(): void {
      for (const wake of [...waiters]) wake();
    },
    waitFor(n: number, timeoutMs = 5_000): Promise<T[]> {
      if (items.length >= n) return Promise.resolve(items.slice(0, n));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`expected ${n} ${what}, got ${items.length} within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        const wake = () => {
          if (items.length < n) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(items.slice(0, n));
        };
        waiters.add(wake);
      });
    },
  };
}
