import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_MLOPS_CLUSTER,
  ANNOTATION_MLOPS_MANIFESTS,
  ANNOTATION_MLOPS_NAMESPACE,
  ANNOTATION_MLOPS_WORKLOAD,
} from './annotations';

/** The kinds of workload the plugins know. @public */
export const MLOPS_WORKLOAD_TYPES = ['training', 'serving'] as const;

/** @public */
export type MlopsWorkloadType = (typeof MLOPS_WORKLOAD_TYPES)[number];

/** The MLOps annotations of an entity, read and typed. @public */
export interface MlopsWorkloadAnnotations {
  manifests: string;
  namespace?: string;
  cluster?: string;
  /** Undefined when the annotation is absent or not one of {@link MLOPS_WORKLOAD_TYPES}. */
  workload?: MlopsWorkloadType;
  kubernetesId?: string;
}

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
}

/** @public */
export function isMlopsWorkloadType(
  value: unknown,
): value is MlopsWorkloadType {
  return (
    typeof value === 'string' &&
    (MLOPS_WORKLOAD_TYPES as readonly string[]).includes(value)
  );
}

/**
 * Reads the MLOps annotations of an entity; undefined unless `mlops/manifests` is
 * present, since that annotation is what makes an entity a reconciled workload.
 * @public
 */
export function readMlopsAnnotations(
  entity: Entity,
): MlopsWorkloadAnnotations | undefined {
  const manifests = annotation(entity, ANNOTATION_MLOPS_MANIFESTS);
  if (!manifests) {
    return undefined;
  }
  const workload = annotation(entity, ANNOTATION_MLOPS_WORKLOAD);
  return {
    manifests,
    namespace: annotation(entity, ANNOTATION_MLOPS_NAMESPACE),
    cluster: annotation(entity, ANNOTATION_MLOPS_CLUSTER),
    workload: isMlopsWorkloadType(workload) ? workload : undefined,
    kubernetesId: annotation(entity, ANNOTATION_KUBERNETES_ID),
  };
}

/** True when the entity carries `mlops/manifests`. @public */
export function isMlopsWorkload(entity: Entity): boolean {
  return readMlopsAnnotations(entity) !== undefined;
}

/** True for an MLOps workload annotated `mlops/workload: training`. @public */
export function isTrainingWorkload(entity: Entity): boolean {
  return readMlopsAnnotations(entity)?.workload === 'training';
}

/** True for an MLOps workload annotated `mlops/workload: serving`. @public */
export function isServingWorkload(entity: Entity): boolean {
  return readMlopsAnnotations(entity)?.workload === 'serving';
}
