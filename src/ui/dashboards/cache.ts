/**
 * Dashboard answers by key (dashboard file mtime, filter values, warehouse generation: see
 * routes/dashboards.ts). Holds the promise, so identical requests arriving together share one set of
 * queries; a failed answer is forgotten. Bounded: the oldest entry goes first.
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly capacity = 200) {}

  /** The cached answer for `key` (`hit: true`), or the one `compute` gives, stored under `key`. */
  async get(key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    const known = this.entries.get(key);
    if (known) {
      // Refreshes its place: the least recently used entry is the one dropped.
      this.entries.delete(key);
      this.entries.set(key, known);
      return { value: await known, hit: true };
    }
    const pending = compute();
    this.entries.set(key, pending);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    try {
      return { value: await pending, hit: false };
    } catch (error) {
      if (this.entries.get(key) === pending) this.entries.delete(key);
      throw error;
    }
  }

  /** Drops every entry whose key does not satisfy `keep` (answers of older warehouse generations). */
  prune(keep: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (!keep(key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
