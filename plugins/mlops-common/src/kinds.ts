/**
 * The object kinds the reconciler may apply (DESIGN.md, reconciler rules), keyed by
 * `apiVersion group` and kind. Everything else (cluster-scoped objects, RBAC, Secrets,
 * webhooks, CRDs) is refused.
 * @public
 */
export const ALLOWED_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: 'kubeflow.org', kind: 'PyTorchJob' },
  { group: 'trainer.kubeflow.org', kind: 'TrainJob' },
  { group: 'ray.io', kind: 'RayJob' },
  { group: 'ray.io', kind: 'RayCluster' },
  { group: 'ray.io', kind: 'RayService' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: 'keda.sh', kind: 'ScaledObject' },
  { group: 'keda.sh', kind: 'TriggerAuthentication' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
  { group: 'serving.kserve.io', kind: 'InferenceService' },
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
