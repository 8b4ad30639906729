export interface TtlCacheOptions<K, V> {
  /** How long a loaded value is served; 0 or less means it is not kept. */
  ttlMs: (value: V, key: K) => number;
  /** Oldest entries go first once this many are held. */
  maxEntries: number;
  /**
   * A hit this close to expiry also starts a reload in the background, so a steady stream of
   * callers never waits for one; no value is served past its ttl either way.
   */
  refreshAheadMs?: number;
  now?: () => number;
}

/**
 * A bounded, in-process cache of loaded values that expire. Concurrent misses of one key
 * share one load; a failed load is never kept, so the next caller retries.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private readonly loading = new Map<K, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions<K, V>) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      const refreshAhead = this.options.refreshAheadMs ?? 0;
      if (entry.expiresAt - now <= refreshAhead && !this.loading.has(key)) {
        // A failed refresh is not kept; the next hit or miss tries again.
        this.load(key, load).catch(() => {});
      }
      return entry.value;
    }
    if (entry) this.entries.delete(key);
    return this.loading.get(key) ?? this.load(key, load);
  }

  delete(key: K): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  private load(key: K, load: () => Promise<V>): Promise<V> {
    const promise = load().then(
      value => {
        // A delete() while loading means the value may predate a write: hand it out, keep it not.
        if (this.loading.get(key) === promise) {
          this.loading.delete(key);
          this.keep(key, value);
        }
        return value;
      },
      error => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  private keep(key: K, value: V) {
    const ttl = this.options.ttlMs(value, key);
    if (ttl <= 0 || this.options.maxEntries <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
  }
}
