import { TtlCache } from './TtlCache';

function cacheWithClock(
  options: {
    ttlMs?: (v: string) => number;
    maxEntries?: number;
    refreshAheadMs?: number;
  } = {},
) {
  let now = 1_000;
  const cache = new TtlCache<string, string>({
    ttlMs: options.ttlMs ?? (() => 5_000),
    maxEntries: options.maxEntries ?? 100,
    refreshAheadMs: options.refreshAheadMs,
    now: () => now,
  });
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('TtlCache', () => {
  it('serves a loaded value until its ttl passes, then loads again', async () => {
    const { cache, advance } = cacheWithClock();
    const load = jest
      .fn()
      .mockResolvedValueOnce('first')
      .mockResolvedValueOnce('second');
    await expect(cache.get('k', load)).resolves.toBe('first');
    advance(4_999);
    await expect(cache.get('k', load)).resolves.toBe('first');
    expect(load).toHaveBeenCalledTimes(1);
    advance(1);
    await expect(cache.get('k', load)).resolves.toBe('second');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not keep values whose ttl is zero', async () => {
    const { cache } = cacheWithClock({
      ttlMs: v => (v === 'missing' ? 0 : 5_000),
    });
    const load = jest.fn().mockResolvedValue('missing');
    await cache.get('k', load);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest first', async () => {
    const { cache } = cacheWithClock({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      await cache.get(key, async () => key);
    }
    expect(cache.size).toBe(3);
    const reload = jest.fn(async () => 'again');
    await expect(cache.get('e', reload)).resolves.toBe('e');
    await expect(cache.get('a', reload)).resolves.toBe('again');
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('shares one load between concurrent misses of a key', async () => {
    const { cache } = cacheWithClock();
    let resolve!: (v: string) => void;
    const load = jest.fn(
      () =>
        new Promise<string>(r => {
          resolve = r;
        }),
    );
    const both = Promise.all([cache.get('k', load), cache.get('k', load)]);
    resolve('shared');
    await expect(both).resolves.toEqual(['shared', 'shared']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failure: every waiter sees it, the next caller retries', async () => {
    const { cache } = cacheWithClock();
    let reject!: (e: Error) => void;
    const failing = jest.fn(
      () =>
        new Promise<string>((_, r) => {
          reject = r;
        }),
    );
    const first = cache.get('k', failing);
    const second = cache.get('k', failing);
    reject(new Error('permission backend down'));
    await expect(first).rejects.toThrow('permission backend down');
    await expect(second).rejects.toThrow('permission backend down');
    expect(failing).toHaveBeenCalledTimes(1);
    await expect(cache.get('k', async () => 'recovered')).resolves.toBe(
      'recovered',
    );
  });

  it('does not keep a load that was in flight when the key was deleted', async () => {
    const { cache } = cacheWithClock();
    let resolve!: (v: string) => void;
    const stale = cache.get(
      'k',
      () =>
        new Promise<string>(r => {
          resolve = r;
        }),
    );
    cache.delete('k');
    resolve('before the write');
    await expect(stale).resolves.toBe('before the write');
    await expect(cache.get('k', async () => 'after the write')).resolves.toBe(
      'after the write',
    );
  });

  it('reloads in the background near expiry, serving the current value meanwhile', async () => {
    const { cache, advance } = cacheWithClock({ refreshAheadMs: 2_000 });
    await cache.get('k', async () => 'v1');
    let finish!: (v: string) => void;
    const reload = jest.fn(
      () =>
        new Promise<string>(r => {
          finish = r;
        }),
    );
    advance(2_999);
    await expect(cache.get('k', reload)).resolves.toBe('v1');
    expect(reload).not.toHaveBeenCalled();
    advance(1);
    await expect(cache.get('k', reload)).resolves.toBe('v1');
    await expect(cache.get('k', reload)).resolves.toBe('v1');
    expect(reload).toHaveBeenCalledTimes(1);
    finish('v2');
    await Promise.resolve();
    advance(4_000);
    await expect(cache.get('k', reload)).resolves.toBe('v2');
  });

  it('keeps serving the current value until expiry when a background reload fails', async () => {
    const { cache, advance } = cacheWithClock({ refreshAheadMs: 2_000 });
    await cache.get('k', async () => 'good');
    advance(4_000);
    const failing = jest.fn(async () => {
      throw new Error('catalog down');
    });
    await expect(cache.get('k', failing)).resolves.toBe('good');
    await Promise.resolve();
    advance(1_000);
    await expect(cache.get('k', failing)).rejects.toThrow('catalog down');
  });
});
