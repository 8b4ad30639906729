import crypto from 'node:crypto';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_MLOPS_ENTITY_REF,
  LABEL_MANAGED_BY,
  LABEL_MLOPS_ENTITY,
  MANAGED_BY_VALUE,
  type ManifestObject,
} from '@internal/backstage-plugin-mlops-common';

/**
 * The `mlops/entity` label value: the first 20 hex digits of sha256 of the lower-cased entity
 * ref. Stable across restarts and re-registration; label values cannot hold `:` or `/`.
 */
export function entityLabelValue(entityRef: string): string {
  return crypto
    .createHash('sha256')
    .update(entityRef.toLowerCase())
    .digest('hex')
    .slice(0, 20);
}

/** Label selector matching every object the reconciler applied for an entity. */
export function entitySelector(entityRef: string): string {
  return `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE},${LABEL_MLOPS_ENTITY}=${entityLabelValue(
    entityRef,
  )}`;
}

/** A copy of the object in the entity's namespace, carrying our ownership labels and annotation. */
export function withOwnership(
  object: ManifestObject,
  options: { entityRef: string; namespace: string; kubernetesId?: string },
): ManifestObject {
  const metadata = object.metadata as ManifestObject['metadata'] & {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  return {
    ...object,
    metadata: {
      ...metadata,
      namespace: options.namespace,
      labels: {
        ...metadata.labels,
        [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
        [LABEL_MLOPS_ENTITY]: entityLabelValue(options.entityRef),
        ...(options.kubernetesId
          ? { [ANNOTATION_KUBERNETES_ID]: options.kubernetesId }
          : {}),
      },
      annotations: {
        ...metadata.annotations,
        [ANNOTATION_MLOPS_ENTITY_REF]: options.entityRef,
      },
    },
  };
}

/** True when a live object carries this entity's labels and names it in the annotation. */
export function isOwnedBy(
  live: {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
  },
  entityRef: string,
): boolean {
  const labels = live.metadata?.labels ?? {};
  return (
    labels[LABEL_MANAGED_BY] === MANAGED_BY_VALUE &&
    labels[LABEL_MLOPS_ENTITY] === entityLabelValue(entityRef) &&
    live.metadata?.annotations?.[ANNOTATION_MLOPS_ENTITY_REF] === entityRef
  );
}
