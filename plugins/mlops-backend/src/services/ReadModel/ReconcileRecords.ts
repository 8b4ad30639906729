import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReconcileStore } from '../Store/ReconcileStore';
import { TtlCache } from './TtlCache';

export interface ReconcileRecordsOptions {
  /** How old the records may get: another replica's writes appear within this. */
  staleMs: number;
  /** Above this many records the table is not held; reads then go per entity. */
  maxRecords: number;
  /** Over size: how many records read one by one are held. */
  maxEntries: number;
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
 * The reconcile records status shows, held in memory as one snapshot of the table, reloaded by
 * one query at most staleMs apart (in the background while reads continue), so a status read
 * never waits on the database. This process's own writes land at once through writeThrough().
 */
export class ReconcileRecords {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  /** Writes that finished while a load was running, which its rows may predate. */
  private writesDuringLoad = new Map<string, MlopsReconcileStatus>();
  /** Bumped when a write's outcome is unknown, so an older load's rows are not kept. */
  private generation = 0;
  /** Over size: records read one by one, each kept for staleMs. */
  private readonly perEntity: TtlCache<
    string,
    MlopsReconcileStatus | undefined
  >;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<ReconcileStore, 'listStatuses' | 'getStatus'>,
    private readonly options: ReconcileRecordsOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.perEntity = new TtlCache({
      maxEntries: options.maxEntries,
      now: options.now,
      ttlMs: () => options.staleMs,
    });
  }

  async get(entityRef: string): Promise<MlopsReconcileStatus | undefined> {
    const now = this.now();
    let snapshot = this.snapshot;
    if (snapshot && snapshot.expiresAt > now) {
      if (snapshot.expiresAt - now <= this.options.staleMs / 2) {
        // A failed refresh is not kept; the next read tries again.
        this.reload().catch(() => {});
      }
    } else {
      snapshot = await this.reload();
    }
    if (snapshot.byRef) return snapshot.byRef.get(entityRef);
    return this.perEntity.get(entityRef, () => this.store.getStatus(entityRef));
  }

  /**
   * The same store with saveStatus and saveStatuses updating the records held here; every
   * other method, the reconciler's own getStatus included, still goes to the database.
   */
  writeThrough(store: ReconcileStore): ReconcileStore {
    const wrapped: ReconcileStore = Object.create(store);
    wrapped.saveStatus = status =>
      this.tracked(() => store.saveStatus(status), [status], true);
    // The batch keeps a later attempt saved meanwhile; so do the records here.
    wrapped.saveStatuses = statuses =>
      this.tracked(() => store.saveStatuses(statuses), statuses, false);
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
    } finally {
      for (const status of statuses) this.perEntity.delete(status.entityRef);
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
    const { maxRecords, staleMs, oversizeRecheckMs } = this.options;
    const rows = await this.store.listStatuses({ limit: maxRecords + 1 });
    const snapshot: Snapshot = { expiresAt: startedAt + oversizeRecheckMs };
    if (rows.length <= maxRecords) {
      snapshot.expiresAt = startedAt + staleMs;
      snapshot.byRef = new Map(rows.map(r => [r.entityRef, r]));
      for (const [ref, status] of this.writesDuringLoad) {
        snapshot.byRef.set(ref, status);
      }
    }
    if (generation === this.generation) this.snapshot = snapshot;
    return snapshot;
  }
}
