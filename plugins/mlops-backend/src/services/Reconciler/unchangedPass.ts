import type { MlopsObjectOutcome } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { NamedReference } from '../Policy/references';
import { driftedFields, type DesiredObject } from './desiredState';
import { hashesById, type InventoryItem } from './inventory';
import { objectId, type ObjectKey } from './objectId';
import { withContest } from './outcomes';
import { isOwnedBy } from './ownership';

export interface UnchangedInput {
  entityRef: string;
  desired: DesiredObject[];
  /** Object ids of `desired`. */
  ids: string[];
  references: Array<{ from: DesiredObject; ref: NamedReference }>;
  /** The inventory as the pass snapshot read it; undefined when the entity has none. */
  inventory: InventoryItem[] | undefined;
  /** Object id → the entities that declare it, in this cluster. */
  claims: Map<string, string[]> | undefined;
  /** The watch cache: null = known absent, undefined = not known. */
  lookup: (key: ObjectKey) => any | null | undefined;
}

/**
 * The outcomes of a pass that would change nothing, or undefined when anything may differ:
 * every desired object recorded with its hash, claimed, live in the watch cache without drift,
 * its references not another entity's, and nothing recorded that is no longer desired. Pure
 * and request-free, so a pass over unchanged entities costs no API-server request.
 */
export function unchangedOutcomes(
  input: UnchangedInput,
): MlopsObjectOutcome[] | undefined {
  const { desired, inventory, entityRef } = input;
  if (!inventory || inventory.length !== desired.length) return undefined;
  const contested = new Map<string, string[]>();
  for (const id of input.ids) {
    const claimants = input.claims?.get(id) ?? [];
    if (!claimants.includes(entityRef)) return undefined; // not declared yet
    const others = claimants.filter(c => c !== entityRef);
    if (others.length > 0) contested.set(id, others);
  }
  for (const { from, ref } of input.references) {
    const live = input.lookup({
      ...from.key,
      apiVersion: 'v1',
      kind: ref.kind,
      name: ref.name,
    });
    // Unknown, or some entity's: let the full pass judge it.
    if (live === undefined || (live && !isOwnedBy(live, entityRef))) {
      return undefined;
    }
  }
  const recorded = hashesById(inventory);
  const outcomes: MlopsObjectOutcome[] = [];
  for (const item of desired) {
    const id = objectId(item.key);
    if (recorded.get(id) !== item.hash) return undefined;
    const live = input.lookup(item.key);
    // The cache watches one version; another version's fields are compared by a GET.
    if (!live || live.apiVersion !== item.key.apiVersion) return undefined;
    if (driftedFields(item.object, live).length > 0) return undefined;
    outcomes.push(
      withContest({ ...item.key, action: 'unchanged' }, contested.get(id)),
    );
  }
  return outcomes;
}
