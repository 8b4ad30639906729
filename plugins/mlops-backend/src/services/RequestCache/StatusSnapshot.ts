import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReconcileStore } from '../Store/ReconcileStore';
import type { StatusReadCache } from './StatusReadCache';

export interface StatusSnapshotOptions {
  /** How old the snapshot may get; another replica's writes appear within this. */
  ttlMs: number;
  /** A read this close to expiry reloads in the background, so steady readers never wait. */
  refreshAheadMs: number;
  /** Above this many records the snapshot is not kept and reads go per entity. */
  maxRecords: number;
  /** How long an over-size table is trusted to stay over size before it is counted again. */
  oversizeRecheckMs: number;
  now?: () => number;
}

interface Snapshot {
  /** Undefined when there were too many records to hold. */
  byRef?: Map<string, MlopsReconcileStatus>;
  expiresAt: number;
}

/**
 * All reconcile records in memory, reloaded by one query every ttlMs: a status read never
 * waits on the database while the table is small enough to hold. This process's own writes
 * land in the snapshot at once through writeThrough().
 */
export class StatusSnapshot {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  /** Writes that finished while a load was running, which its rows may predate. */
  private writesDuringLoad = new Map<string, MlopsReconcileStatus>();
  /** Bumped when a write's outcome is unknown, so an older load's rows are not kept. */
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<ReconcileStore, 'listStatuses'>,
    private readonly fallback: StatusReadCache,
    private readonly options: StatusSnapshotOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async getStatus(
    entityRef: string,
  ): Promise<MlopsReconcileStatus | undefined> {
    const now = this.now();
    let snapshot = this.snapshot;
    if (snapshot && snapshot.expiresAt > now) {
      if (snapshot.expiresAt - now <= this.options.refreshAheadMs) {
        // A failed refresh is not kept; the next read tries again.
        this.reload().catch(() => {});
      }
    } else {
      snapshot = await this.reload();
    }
    if (!snapshot.byRef) return this.fallback.getStatus(entityRef);
    return snapshot.byRef.get(entityRef);
  }

  /**
   * The same store with saveStatus and saveStatuses updating the snapshot (and evicting the
   * per-entity fallback); every other method still goes to the database uncached.
   */
  writeThrough(store: ReconcileStore): ReconcileStore {
    const inner = this.fallback.writeThrough(store);
    const wrapped: ReconcileStore = Object.create(inner);
    wrapped.saveStatus = status =>
      this.tracked(() => inner.saveStatus(status), [status], true);
    // The batch keeps a later attempt saved meanwhile; so does the snapshot.
    wrapped.saveStatuses = statuses =>
      this.tracked(() => inner.saveStatuses(statuses), statuses, false);
    return wrapped;
  }

  private async tracked(
    write: () => Promise<void>,
    statuses: MlopsReconcileStatus[],
    overwriteLater: boolean,
  ) {
    try {
      await write();
    } catch (error) {
      // The rows may or may not have changed: drop everything that could contradict them.
      this.snapshot = undefined;
      this.generation += 1;
      throw error;
    }
    for (const status of statuses) {
      const held = this.snapshot?.byRef?.get(status.entityRef);
      if (
        overwriteLater ||
        !held ||
        held.lastAttemptAt <= status.lastAttemptAt
      ) {
        this.remember(structuredClone(status));
      }
    }
  }

  private remember(status: MlopsReconcileStatus) {
    this.snapshot?.byRef?.set(status.entityRef, status);
    if (this.loading) this.writesDuringLoad.set(status.entityRef, status);
  }

  private reload(): Promise<Snapshot> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
      this.writesDuringLoad.clear();
    });
    return this.loading;
  }

  private async load(): Promise<Snapshot> {
    const startedAt = this.now();
    const generation = this.generation;
    const { maxRecords, ttlMs, oversizeRecheckMs } = this.options;
    const rows = await this.store.listStatuses({ limit: maxRecords + 1 });
    const snapshot: Snapshot = { expiresAt: startedAt + oversizeRecheckMs };
    if (rows.length <= maxRecords) {
      snapshot.expiresAt = startedAt + ttlMs;
      snapshot.byRef = new Map(rows.map(r => [r.entityRef, r]));
      for (const [ref, status] of this.writesDuringLoad) {
        snapshot.byRef.set(ref, status);
      }
    }
    if (generation === this.generation) this.snapshot = snapshot;
    return snapshot;
  }
}
