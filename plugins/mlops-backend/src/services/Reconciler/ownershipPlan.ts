import {
  ANNOTATION_MLOPS_ENTITY_REF,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
  quoteToken,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { NamedReference } from '../Policy/references';
import type { DesiredObject, ObjectKey } from './desiredState';
import { objectId } from './objectId';
import { isOwnedBy } from './ownership';

type Live = {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind?: string; name?: string }>;
    managedFields?: Array<{ manager?: string }>;
  };
} | null;

export interface OwnershipInput {
  entityRef: string;
  desired: DesiredObject[];
  /** The live object of each desired one, `null` when absent. */
  live: (key: ObjectKey) => Live;
  /** Other entities that declare the same object. */
  otherClaimants: (key: ObjectKey) => string[];
  /** Objects the pods use by name, with their live state (`null`: absent or not ours to judge). */
  references: Array<{ from: DesiredObject; ref: NamedReference; live: Live }>;
  /** The namespace lets the entity take over objects without MLOps ownership. */
  adoptUnowned: boolean;
}

export interface OwnershipPlan {
  /** Why the pass may not apply anything; empty when it may. */
  refusals: string[];
  /** Objects this entity owns that other entities also declare (they are refused). */
  contested: Map<string, string[]>;
  /** Objects without MLOps ownership that this pass takes over. */
  adopted: Set<string>;
}

/** Who the live object says owns it, if anyone: the entity in our annotation, else a tool. */
function ownerOf(live: NonNullable<Live>): { entity?: string; tool: boolean } {
  const annotation = live.metadata?.annotations?.[ANNOTATION_MLOPS_ENTITY_REF];
  const managed =
    live.metadata?.labels?.[LABEL_MANAGED_BY] === MANAGED_BY_VALUE;
  return { entity: annotation, tool: managed || annotation !== undefined };
}

/** Ours: our labels and annotation, or the annotation alone (labels removed by hand are drift). */
const ours = (live: NonNullable<Live>, entityRef: string) =>
  isOwnedBy(live, entityRef) ||
  live.metadata?.annotations?.[ANNOTATION_MLOPS_ENTITY_REF] === entityRef;

const describe = (key: ObjectKey) => `${key.kind} "${key.name}"`;

function managers(live: NonNullable<Live>): string {
  const names = [
    ...new Set(
      (live.metadata?.managedFields ?? [])
        .map(f => f.manager)
        .filter((m): m is string => typeof m === 'string'),
    ),
  ];
  return names.length
    ? `; field managers: ${names.map(quoteToken).join(', ')}`
    : '';
}

/**
 * Ownership before apply (DESIGN.md): for each object, whether this entity may write it. An
 * object that names another entity, or exists without our ownership, is refused, never taken
 * over (unless the namespace allows adopting unowned ones); an object two entities declare and
 * neither owns yet is created for neither. Pure: live state and claims come in as arguments.
 */
export function planOwnership(input: OwnershipInput): OwnershipPlan {
  const refusals: string[] = [];
  const contested = new Map<string, string[]>();
  const adopted = new Set<string>();
  for (const item of input.desired) {
    const others = input.otherClaimants(item.key);
    const live = input.live(item.key);
    if (!live) {
      if (others.length > 0) {
        refusals.push(
          `${describe(item.key)} is also declared by ${others.join(
            ', ',
          )}; an object two entities declare is created for neither: remove it from all but one`,
        );
      }
      continue;
    }
    if (ours(live, input.entityRef)) {
      if (others.length > 0) contested.set(objectId(item.key), others);
      continue;
    }
    const owner = ownerOf(live);
    if (owner.entity || owner.tool) {
      refusals.push(
        `${describe(item.key)} belongs to ${
          owner.entity
            ? `entity ${quoteToken(owner.entity)}`
            : 'another MLOps entity'
        }; an object of another entity is never taken over`,
      );
      continue;
    }
    const controller = live.metadata?.ownerReferences?.[0];
    if (controller) {
      refusals.push(
        `${describe(item.key)} exists and is managed by its owner ${quoteToken(
          controller.kind,
        )} ${quoteToken(controller.name)}; it is not taken over`,
      );
      continue;
    }
    if (input.adoptUnowned && others.length === 0) {
      adopted.add(objectId(item.key));
      continue;
    }
    refusals.push(
      `${describe(
        item.key,
      )} exists without MLOps ownership (created by hand or by another tool${managers(
        live,
      )}); it is not taken over${
        others.length > 0
          ? ` (also declared by ${others.join(', ')})`
          : ' unless the namespace sets adoptUnowned'
      }`,
    );
  }
  const own = new Set(input.desired.map(d => objectId(d.key)));
  for (const { from, ref, live } of input.references) {
    const key = {
      ...from.key,
      apiVersion: 'v1',
      kind: ref.kind,
      name: ref.name,
    };
    if (own.has(objectId(key)) || !live) continue;
    const owner = ownerOf(live);
    if (owner.tool && !ours(live, input.entityRef)) {
      refusals.push(
        `${describe(from.key)} ${ref.path.replace(/^\./, '')} uses ${
          ref.kind
        } "${ref.name}", which belongs to ${
          owner.entity
            ? `entity ${quoteToken(owner.entity)}`
            : 'another MLOps entity'
        }; pods may use only the entity's own or unowned ones`,
      );
    }
  }
  return { refusals, contested, adopted };
}
