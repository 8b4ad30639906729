import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReconcileStore } from '../Store/ReconcileStore';
import { StatusReadCache } from './StatusReadCache';

const ref = 'component:default/llama';
const record = (result: MlopsReconcileStatus['result']) =>
  ({ entityRef: ref, result } as MlopsReconcileStatus);

class FakeStore {
  rows = new Map<string, MlopsReconcileStatus>();
  getStatus = jest.fn(async (entityRef: string) => this.rows.get(entityRef));
  async saveStatus(status: MlopsReconcileStatus) {
    this.rows.set(status.entityRef, status);
  }
}

function setup() {
  let now = 0;
  const db = new FakeStore();
  const cache = new StatusReadCache(db, {
    ttlMs: 2_000,
    maxEntries: 100,
    now: () => now,
  });
  const store = cache.writeThrough(db as unknown as ReconcileStore);
  return { db, cache, store, advance: (ms: number) => (now += ms) };
}

describe('StatusReadCache', () => {
  it("re-reads after the ttl, so another replica's write appears", async () => {
    const { db, cache, advance } = setup();
    db.rows.set(ref, record('synced'));
    await cache.getStatus(ref);
    db.rows.set(ref, record('failed'));
    await expect(cache.getStatus(ref)).resolves.toMatchObject({
      result: 'synced',
    });
    expect(db.getStatus).toHaveBeenCalledTimes(1);
    advance(2_000);
    await expect(cache.getStatus(ref)).resolves.toMatchObject({
      result: 'failed',
    });
  });

  it("shows this process's own write at once, and leaves the store's reads uncached", async () => {
    const { db, cache, store } = setup();
    await expect(cache.getStatus(ref)).resolves.toBeUndefined();
    await store.saveStatus(record('refused'));
    await expect(cache.getStatus(ref)).resolves.toMatchObject({
      result: 'refused',
    });
    db.getStatus.mockClear();
    await store.getStatus(ref);
    await store.getStatus(ref);
    expect(db.getStatus).toHaveBeenCalledTimes(2);
  });
});
