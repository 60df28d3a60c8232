// In-memory caches of the data plane, emptied by the change feed. A generation counter guards each fill: a lookup that
// started before a change was heard does not store its (possibly stale) answer.

export class ChangeGuardedCache<V> {
  private entries = new Map<string, { value: V; expires: number }>();
  private generation = 0;

  constructor(
    private readonly live: () => boolean,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** Empties the cache (a change was heard). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The cached value, else `load()`'s (stored only when the feed is live and nothing changed meanwhile). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.live()) {
      const hit = this.entries.get(key);
      if (hit && hit.expires > Date.now()) return hit.value;
    }
    const generation = this.generation;
    const value = await load();
    if (this.live() && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    }
    return value;
  }
}
