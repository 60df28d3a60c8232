// In-memory caches of the data plane, emptied by the change feed. A generation counter guards each fill: a lookup that
// started before a change was heard does not store its (possibly stale) answer.
//
// Under load a cache must not stampede: requests that miss the same key at once share one load (at 2,000 requests/s a
// miss that each request filled itself started dozens of identical queries, each slowing the next, and stalled the
// process for up to a second), and an entry past its time to live (a safety net: the change feed empties the cache on
// every change) is answered from memory while one refresh runs in the background.

interface Entry<V> {
  value: V;
  expires: number;
  refreshing: boolean;
}

export class ChangeGuardedCache<V> {
  private entries = new Map<string, Entry<V>>();
  private loading = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly live: () => boolean,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** Empties the cache (a change was heard); loads already under way are neither stored nor shared afterwards. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  /**
   * The cached value, else `load()`'s (stored only when the feed is live and nothing changed meanwhile). Concurrent misses
   * of one key share one `load()`; an expired entry is served while one background `load()` replaces it (a failed
   * refresh drops the entry, so the next request loads afresh and meets the failure itself).
   */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.live()) return load();
    const hit = this.entries.get(key);
    if (hit) {
      if (hit.expires <= Date.now() && !hit.refreshing) {
        hit.refreshing = true;
        // Whatever happens, the flag drops: a refresh whose answer was not stored (a change heard meanwhile) is tried again.
        this.fill(key, load).then(
          () => {
            hit.refreshing = false;
          },
          () => {
            hit.refreshing = false;
            if (this.entries.get(key) === hit) this.entries.delete(key);
          },
        );
      }
      return hit.value;
    }
    return this.fill(key, load);
  }

  private fill(key: string, load: () => Promise<V>): Promise<V> {
    const shared = this.loading.get(key);
    if (shared) return shared;
    const generation = this.generation;
    const loaded = load().then(
      (value) => {
        if (generation === this.generation) {
          this.loading.delete(key);
          if (this.live()) {
            if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
            this.entries.set(key, { value, expires: Date.now() + this.ttlMs, refreshing: false });
          }
        }
        return value;
      },
      (err: unknown) => {
        if (generation === this.generation) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }
}
