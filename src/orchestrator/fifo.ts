/**
 * One run writes to the warehouse at a time, in the order runs were queued: two builds on the same
 * tables at once would conflict or interleave. Reads (the API, the UI) never take this turn.
 */
export class Fifo {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  get queued(): number {
    return this.waiting;
  }

  /** Waits for the turn (or rejects with the signal's reason) and resolves with its release. */
  async turn(signal?: AbortSignal): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.tail;
    this.tail = before.then(() => mine);
    this.waiting++;
    try {
      if (signal) {
        await new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(signal.reason);
          const onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          void before.then(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          });
        });
      } else await before;
    } catch (error) {
      // Given up while queued: pass the turn on as soon as it comes.
      void before.then(release);
      throw error;
    } finally {
      this.waiting--;
    }
    return release;
  }
}
