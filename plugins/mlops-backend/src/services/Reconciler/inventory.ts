import type { DesiredObject } from './desiredState';
import { objectId, type ObjectKey } from './objectId';
import { isOwnedBy } from './ownership';

/**
 * What an entity applied and prune may delete: one row per object identity, with the version
 * it was applied by as data and the hash of what was applied ('' = unknown, apply again).
 */
export interface InventoryItem {
  key: ObjectKey;
  hash: string;
}

type LiveObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

/**
 * The inventory a lost database would have held, from the entity's live objects in its own
 * namespace (the watch cache's or a label-selected LIST's): hashes unknown, so each is
 * applied again once before the fast path trusts it.
 */
export function inventoryFromLive(
  objects: LiveObject[],
  entityRef: string,
  namespace: string,
): InventoryItem[] {
  return objects
    .filter(o => o.metadata.namespace === namespace && isOwnedBy(o, entityRef))
    .map(o => ({
      key: {
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace,
        name: o.metadata.name,
      },
      hash: '',
    }));
}

/** The inventory of a pass that applied everything it declares. */
export const inventoryOf = (desired: DesiredObject[]): InventoryItem[] =>
  desired.map(d => ({ key: d.key, hash: d.hash }));

/** Recorded hash by object identity. */
export const hashesById = (inventory: InventoryItem[]) =>
  new Map(inventory.map(i => [objectId(i.key), i.hash]));

/** Recorded objects that the desired state no longer declares, under any version. */
export function leftoversOf(
  inventory: InventoryItem[],
  desired: DesiredObject[],
): InventoryItem[] {
  const declared = new Set(desired.map(d => objectId(d.key)));
  return inventory.filter(i => !declared.has(objectId(i.key)));
}

/**
 * The inventory after a pass that stopped part way: what it applied is recorded with the hash
 * it was applied with (so the next pass does not apply it again), the rest as it was.
 */
export function afterPartialApply(
  inventory: InventoryItem[],
  applied: DesiredObject[],
): InventoryItem[] {
  const done = new Set(applied.map(d => objectId(d.key)));
  return [
    ...inventory.filter(i => !done.has(objectId(i.key))),
    ...inventoryOf(applied),
  ];
}
