import crypto from 'node:crypto';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_MLOPS_ENTITY_REF,
  LABEL_MANAGED_BY,
  LABEL_MLOPS_ENTITY,
  MANAGED_BY_VALUE,
  type ManifestObject,
} from '@mlops-plugins/backstage-plugin-mlops-common';

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

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function labelPodTemplates(value: unknown, label: string): void {
  if (Array.isArray(value)) {
    value.forEach(v => labelPodTemplates(v, label));
    return;
  }
  if (!isObj(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (
      key === 'template' &&
      isObj(child) &&
      Array.isArray(child.spec?.containers)
    ) {
      child.metadata = isObj(child.metadata) ? child.metadata : {};
      child.metadata.labels = {
        ...(isObj(child.metadata.labels) ? child.metadata.labels : {}),
        [LABEL_MLOPS_ENTITY]: label,
      };
    }
    labelPodTemplates(child, label);
  }
}

/** Adds the entity label to a non-empty label map, so it selects only the entity's own objects. */
function scope(selector: unknown, label: string): unknown {
  return isObj(selector) && Object.keys(selector).length > 0
    ? { ...selector, [LABEL_MLOPS_ENTITY]: label }
    : selector;
}

/**
 * The entity's pods carry its label, and every selector it writes (Service, PodMonitor,
 * ServiceMonitor, a RayJob's clusterSelector) includes it: another entity's pods in the same
 * namespace can then never be selected, whatever labels the two share, and metrics can select
 * on the label instead of a pod-name prefix that a sibling workload may share.
 */
export function scopedToEntity(
  object: ManifestObject,
  entityRef: string,
): ManifestObject {
  const label = entityLabelValue(entityRef);
  const copy = structuredClone(object) as ManifestObject & { spec?: Obj };
  labelPodTemplates(copy.spec, label);
  const spec = copy.spec;
  if (!isObj(spec)) return copy;
  const group = copy.apiVersion.includes('/')
    ? copy.apiVersion.split('/')[0]
    : '';
  if (group === '' && copy.kind === 'Service') {
    spec.selector = scope(spec.selector, label);
  } else if (
    group === 'monitoring.coreos.com' &&
    (copy.kind === 'PodMonitor' || copy.kind === 'ServiceMonitor') &&
    isObj(spec.selector)
  ) {
    spec.selector = {
      ...spec.selector,
      matchLabels: scope(spec.selector.matchLabels, label),
    };
  } else if (group === 'ray.io' && copy.kind === 'RayJob') {
    spec.clusterSelector = scope(spec.clusterSelector, label);
  }
  return copy;
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
