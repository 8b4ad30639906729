/** @public */
export interface AllowedKind {
  group: string;
  kind: string;
  /** The version served by the pinned operators (../shared/crds) and Kubernetes 1.34. */
  version: string;
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
  {
    group: 'kubeflow.org',
    kind: 'PyTorchJob',
    version: 'v1',
    plural: 'pytorchjobs',
  },
  {
    group: 'trainer.kubeflow.org',
    kind: 'TrainJob',
    version: 'v1alpha1',
    plural: 'trainjobs',
  },
  { group: 'ray.io', kind: 'RayJob', version: 'v1', plural: 'rayjobs' },
  { group: 'ray.io', kind: 'RayCluster', version: 'v1', plural: 'rayclusters' },
  { group: 'ray.io', kind: 'RayService', version: 'v1', plural: 'rayservices' },
  { group: 'apps', kind: 'Deployment', version: 'v1', plural: 'deployments' },
  { group: 'apps', kind: 'StatefulSet', version: 'v1', plural: 'statefulsets' },
  { group: '', kind: 'Service', version: 'v1', plural: 'services' },
  { group: '', kind: 'ConfigMap', version: 'v1', plural: 'configmaps' },
  {
    group: '',
    kind: 'PersistentVolumeClaim',
    version: 'v1',
    plural: 'persistentvolumeclaims',
  },
  {
    group: 'keda.sh',
    kind: 'ScaledObject',
    version: 'v1alpha1',
    plural: 'scaledobjects',
  },
  {
    group: 'keda.sh',
    kind: 'TriggerAuthentication',
    version: 'v1alpha1',
    plural: 'triggerauthentications',
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'ServiceMonitor',
    version: 'v1',
    plural: 'servicemonitors',
  },
  {
    group: 'monitoring.coreos.com',
    kind: 'PodMonitor',
    version: 'v1',
    plural: 'podmonitors',
  },
  {
    group: 'serving.kserve.io',
    kind: 'InferenceService',
    version: 'v1beta1',
    plural: 'inferenceservices',
  },
];

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → the empty string (core). @public */
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
