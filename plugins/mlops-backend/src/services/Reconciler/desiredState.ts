import crypto from 'node:crypto';
import type {
  LocatedManifest,
  ManifestObject,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ObjectKey } from './objectId';
import { scopedToEntity, withOwnership } from './ownership';

export type { ObjectKey } from './objectId';

export interface DesiredObject {
  key: ObjectKey;
  object: ManifestObject;
  /** sha256 of the object as applied; unchanged hash + no drift → no request. */
  hash: string;
}

/** JSON with sorted keys, so equal objects hash equal whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b, 'en'));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const AUTOSCALER_TARGET_KINDS = new Set(['Deployment', 'StatefulSet']);

/** Names of workloads that a ScaledObject or HPA in the same manifests scales. */
function autoscaledTargets(manifests: LocatedManifest[]): Set<string> {
  const targets = new Set<string>();
  for (const { object } of manifests) {
    const spec = object.spec as
      | { scaleTargetRef?: { kind?: string; name?: string } }
      | undefined;
    if (
      (object.kind === 'ScaledObject' ||
        object.kind === 'HorizontalPodAutoscaler') &&
      spec?.scaleTargetRef?.name
    ) {
      targets.add(
        `${spec.scaleTargetRef.kind ?? 'Deployment'}/${
          spec.scaleTargetRef.name
        }`,
      );
    }
  }
  return targets;
}

/**
 * The objects to apply for an entity: in its namespace, with ownership labels, and without
 * `spec.replicas` on autoscaled workloads, so server-side apply never fights KEDA.
 */
export function desiredState(
  manifests: LocatedManifest[],
  options: { entityRef: string; namespace: string; kubernetesId?: string },
): DesiredObject[] {
  const scaled = autoscaledTargets(manifests);
  return manifests.map(({ object }) => {
    let owned = withOwnership(
      scopedToEntity(object, options.entityRef),
      options,
    );
    if (
      AUTOSCALER_TARGET_KINDS.has(object.kind) &&
      scaled.has(`${object.kind}/${object.metadata.name}`)
    ) {
      const { replicas: _replicas, ...spec } = (owned.spec ?? {}) as Record<
        string,
        unknown
      >;
      owned = { ...owned, spec };
    }
    const key = {
      apiVersion: owned.apiVersion,
      kind: owned.kind,
      namespace: options.namespace,
      name: owned.metadata.name,
    };
    const hash = crypto
      .createHash('sha256')
      .update(stableStringify(owned))
      .digest('hex');
    return { key, object: owned, hash };
  });
}

/**
 * Fields of `desired` that the live object does not hold with the same value (a path list).
 * Only fields we set are compared: defaults and status added by the cluster are not drift.
 */
export function driftedFields(
  desired: unknown,
  live: unknown,
  path = '',
): string[] {
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length)
      return [path || '.'];
    return desired.flatMap((d, i) =>
      driftedFields(d, live[i], `${path}[${i}]`),
    );
  }
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live))
      return [path || '.'];
    return Object.entries(desired as Record<string, unknown>).flatMap(
      ([k, v]) =>
        driftedFields(v, (live as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  // The API server normalises quantities and int-or-strings ("1" vs 1); compare as strings.
  return desired === live || String(desired) === String(live)
    ? []
    : [path || '.'];
}
