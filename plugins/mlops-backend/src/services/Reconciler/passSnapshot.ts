import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ReconcileStore } from '../Store/ReconcileStore';
import type { InventoryItem } from './inventory';

/** Every reconcile record and inventory, read in a few queries at the start of a pass. */
export interface PassSnapshot {
  statuses: Map<string, MlopsReconcileStatus>;
  inventories: Map<string, InventoryItem[]>;
  /** Records of unchanged entities, saved in batches; finishPass saves the rest. */
  unsaved: MlopsReconcileStatus[];
  /** cluster → object id → the entities that declare it. */
  claims: Map<string, Map<string, string[]>>;
  /** Entities that declare anything. */
  claimants: Set<string>;
}

/**
 * Records, inventories and claims in three queries. With the catalog's entity refs, the
 * claims of entities that left the catalog are dropped first.
 */
export async function readPassSnapshot(
  store: ReconcileStore,
  entityRefs?: string[],
): Promise<PassSnapshot> {
  if (entityRefs) {
    await store.claims.releaseAllExcept(
      new Set(entityRefs.map(r => r.toLowerCase())),
    );
  }
  const [statuses, inventories, claims] = await Promise.all([
    store.listStatuses(),
    store.listInventories(),
    store.claims.list(),
  ]);
  const claimants = new Set<string>();
  for (const ids of claims.values()) {
    for (const refs of ids.values()) refs.forEach(r => claimants.add(r));
  }
  return {
    statuses: new Map(statuses.map(s => [s.entityRef, s])),
    inventories,
    unsaved: [],
    claims,
    claimants,
  };
}
