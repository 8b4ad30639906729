import type { NamedReference } from '../Policy/references';
import { inApplyOrder, inPruneOrder } from './applyOrder';
import { driftedFields, type DesiredObject } from './desiredState';
import {
  hashesById,
  inventoryOf,
  leftoversOf,
  type InventoryItem,
} from './inventory';
import { objectId, type ObjectKey } from './objectId';
import { planOwnership } from './ownershipPlan';

/** Kinds never deleted by prune (data would be lost): left in place and dropped from inventory. */
const NEVER_PRUNED = new Set(['PersistentVolumeClaim']);

export interface PassInput {
  entityRef: string;
  desired: DesiredObject[];
  /** The live object of each desired one as the API server has it, `null` when absent. */
  live: (key: ObjectKey) => any | null;
  /** The objects the pods use by name, with their live state. */
  references: Array<{ from: DesiredObject; ref: NamedReference; live: any }>;
  /** Other entities that declare the same object identity. */
  otherClaimants: (key: ObjectKey) => string[];
  inventory: InventoryItem[];
  adoptUnowned: boolean;
  maxPruneShare: number;
  /** The user confirmed a prune larger than maxPruneShare. */
  confirmPrune: boolean;
}

/** What a pass does with one desired object. */
export interface ObjectStep {
  item: DesiredObject;
  /** `apply` when it is absent, was applied with other content, or drifted. */
  action: 'apply' | 'unchanged';
  exists: boolean;
  drift: string[];
  /** Other entities that declare this object, which this entity owns. */
  contestedBy?: string[];
}

export interface PassPlan {
  /** Why nothing may be applied; when non-empty, the rest of the plan is empty. */
  refusals: string[];
  /** Object ids taken over from no owner (the namespace sets adoptUnowned). */
  adopted: string[];
  /** Every desired object, in apply order. */
  steps: ObjectStep[];
  /** Leftovers to delete once checked live, in prune order. */
  prune: InventoryItem[];
  /** Leftovers that are never pruned, with the reason. */
  kept: Array<{ key: ObjectKey; message: string }>;
  /** Set when the prune is larger than allowed: nothing is pruned and the leftovers stay recorded. */
  pruneBlocked?: string;
  /** The inventory to record once every step is done. */
  inventory: InventoryItem[];
}

const EMPTY = { adopted: [], steps: [], prune: [], kept: [], inventory: [] };

/**
 * Every decision of a pass, from the manifests' desired objects, their live state and the
 * inventory: refuse, apply or skip each object, and what to prune. Pure; the applier carries
 * it out. The identity of an object is its group/kind/namespace/name, so a manifest that moves
 * an object to another served version applies it and leaves nothing to prune.
 */
export function planPass(input: PassInput): PassPlan {
  const ownership = planOwnership(input);
  if (ownership.refusals.length > 0) {
    return { refusals: ownership.refusals, ...EMPTY };
  }
  const recorded = hashesById(input.inventory);
  const steps = inApplyOrder(input.desired).map((item): ObjectStep => {
    const id = objectId(item.key);
    const live = input.live(item.key);
    const previousHash = recorded.get(id);
    const drift =
      live && previousHash !== undefined
        ? driftedFields(item.object, live)
        : [];
    const contestedBy = ownership.contested.get(id);
    const unchanged = live && previousHash === item.hash && drift.length === 0;
    return {
      item,
      action: unchanged ? 'unchanged' : 'apply',
      exists: Boolean(live),
      drift,
      ...(contestedBy ? { contestedBy } : {}),
    };
  });

  const leftovers = leftoversOf(input.inventory, input.desired);
  const prunable = leftovers.filter(i => !NEVER_PRUNED.has(i.key.kind));
  const kept = leftovers
    .filter(i => NEVER_PRUNED.has(i.key.kind))
    .map(i => ({
      key: i.key,
      message: `${i.key.kind} is never pruned automatically`,
    }));
  const limit = Math.floor(input.maxPruneShare * input.inventory.length);
  const blocked =
    prunable.length > 0 && prunable.length > limit && !input.confirmPrune;
  return {
    refusals: [],
    adopted: [...ownership.adopted],
    steps,
    prune: blocked ? [] : inPruneOrder(prunable),
    kept,
    inventory: blocked
      ? [...inventoryOf(input.desired), ...prunable]
      : inventoryOf(input.desired),
    ...(blocked
      ? {
          pruneBlocked: `prune of ${prunable.length} of ${
            input.inventory.length
          } objects exceeds mlops.reconcile.maxPruneShare (${
            input.maxPruneShare
          }); sync with confirmation to prune: ${prunable
            .map(p => `${p.key.kind}/${p.key.name}`)
            .join(', ')}`,
        }
      : {}),
  };
}

export type PruneVerdict =
  | { action: 'gone' }
  | { action: 'kept'; message: string }
  | { action: 'delete'; resourceVersion: string };

/**
 * Whether a leftover may be deleted, judged on its live state just before the delete: only an
 * object that still carries this entity's ownership and has no owner of its own.
 */
export function pruneVerdict(
  live: any | undefined,
  isOwned: (live: any) => boolean,
): PruneVerdict {
  if (!live) return { action: 'gone' };
  if ((live.metadata?.ownerReferences ?? []).length > 0) {
    return {
      action: 'kept',
      message: 'has ownerReferences; its owner manages it',
    };
  }
  if (!isOwned(live)) {
    return {
      action: 'kept',
      message: "no longer carries this entity's ownership labels",
    };
  }
  return { action: 'delete', resourceVersion: live.metadata.resourceVersion };
}
