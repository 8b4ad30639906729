import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReconcileStore } from '../Store/ReconcileStore';
import { TtlCache } from './TtlCache';

/**
 * Reconcile records for the status route, re-read after ttlMs so another replica's writes
 * appear; this process's own writes evict at once through writeThrough().
 */
export class StatusReadCache {
  private readonly cache: TtlCache<string, MlopsReconcileStatus | undefined>;

  constructor(
    private readonly store: Pick<ReconcileStore, 'getStatus'>,
    options: { ttlMs: number; maxEntries: number; now?: () => number },
  ) {
    this.cache = new TtlCache({
      maxEntries: options.maxEntries,
      now: options.now,
      ttlMs: () => options.ttlMs,
    });
  }

  getStatus(entityRef: string): Promise<MlopsReconcileStatus | undefined> {
    return this.cache.get(entityRef, () => this.store.getStatus(entityRef));
  }

  forget(entityRef: string): void {
    this.cache.delete(entityRef);
  }

  /**
   * The same store with saveStatus evicting the record here; every other method, the
   * reconciler's own getStatus included, still goes to the database uncached.
   */
  writeThrough(store: ReconcileStore): ReconcileStore {
    const wrapped: ReconcileStore = Object.create(store);
    wrapped.saveStatus = async status => {
      try {
        await store.saveStatus(status);
      } finally {
        this.forget(status.entityRef);
      }
    };
    wrapped.saveStatuses = async statuses => {
      try {
        await store.saveStatuses(statuses);
      } finally {
        for (const status of statuses) this.forget(status.entityRef);
      }
    };
    return wrapped;
  }
}
