/** @public */
export interface AllowedKind {
  group: string;
  kind: string;
  /** Resource name in the API path and in RBAC rules. */
  plural: string;
}

/**
 * The object kinds the reconciler may apply (DESIGN.md, reconciler rules), keyed by
 * API group and kind. Everything else (cluster-scoped objects, RBAC, Secrets, webhooks,
 * CRDs) is refused.
 * @public
 */
export const ALLOWED_KINDS: ReadonlyArray<AllowedKind> = [
  { group: 'kubeflow.org', kind: 'PyTorchJob', plural: 'pytorchjobs' },
  { group: 'trainer.kubeflow.org', kind: 'TrainJob', plural: 'trainjobs' },
  { group: 'ray.io', kind: 'RayJob', plural: 'rayjobs' },
  { group: 'ray.io', kind: 'RayCluster', plural: 'rayclusters' },
  { group: 'ray.io', kind: 'RayService', plural: 'rayservices' },
  { group: 'apps', kind: 'Deployment', plural: 'deployments' },
  { group: 'apps', kind: 'StatefulSet', plural: 'statefulsets' },
  { group: '', kind: 'Service', plural: 'services' },
  { group: '', kind: 'ConfigMap', plural: 'configmaps' },
  {
    group: '',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
  },
  { group: 'keda.sh', kind: 'ScaledObject', plural: 'scaledobjects' },
  {
    group: 'keda.sh',
    kind: 'TriggerAuthentication',
    plural: 'triggerauthentications',
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ServiceMonitor',
    plural: 'servicemonitors',
  },
  { group: 'monitoring.coreos.com', kind: 'PodMonitor', plural: 'podmonitors' },
  {
    group: 'serving.kserve.io',
    kind: 'InferenceService',
    plural: 'inferenceservices',
  },
];

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). @public */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** True when objects of this apiVersion and kind may be applied by the reconciler. @public */
export function isAllowedKind(apiVersion: string, kind: string): boolean {
  const group = apiGroupOf(apiVersion);
  return ALLOWED_KINDS.some(k => k.group === group && k.kind === kind);
}

/** The allow-list as `Kind (group)` strings, for error messages. @public */
export function describeAllowedKinds(): string {
  return ALLOWED_KINDS.map(k => `${k.kind} (${k.group || 'core'})`).join(', ');
}
