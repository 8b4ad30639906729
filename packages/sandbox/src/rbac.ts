import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { ALLOWED_KINDS } from '@mlops-plugins/backstage-plugin-mlops-common';
import { RECONCILER_USER } from './pki';

const FIELD_MANAGER = 'mlops-sandbox';
/** ServiceAccount the reconciler impersonates in each workload namespace (DESIGN.md). */
export const WORKLOAD_SERVICE_ACCOUNT = 'backstage-mlops';

function rulesForAllowedKinds(verbs: string[]) {
  const byGroup = new Map<string, string[]>();
  for (const k of ALLOWED_KINDS) {
    byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), k.plural]);
  }
  return [...byGroup.entries()].map(([group, resources]) => ({
    apiGroups: [group],
    resources,
    verbs,
  }));
}

/**
 * What production gives the reconciler: read and watch the allow-listed kinds everywhere
 * (status cache), read pods and events, and impersonate ServiceAccounts, which is how it
 * writes. It cannot write anything as itself, and cannot touch RBAC, Secrets or CRDs.
 */
export function reconcilerRbacObjects(): KubernetesObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'mlops-reconciler' },
      rules: [
        ...rulesForAllowedKinds(['get', 'list', 'watch']),
        {
          apiGroups: [''],
          resources: ['pods', 'events', 'namespaces'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['autoscaling'],
          resources: ['horizontalpodautoscalers'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: [''],
          resources: ['serviceaccounts'],
          verbs: ['impersonate'],
        },
      ],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'mlops-reconciler' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'mlops-reconciler',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'User',
          name: RECONCILER_USER,
        },
      ],
    } as KubernetesObject,
    {
      // Bound per namespace to the workload ServiceAccount by allowWorkloadNamespace().
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'mlops-workload-applier' },
      rules: rulesForAllowedKinds([
        'get',
        'list',
        'watch',
        'create',
        'patch',
        'update',
        'delete',
      ]),
    } as KubernetesObject,
  ];
}

async function apply(kc: KubeConfig, objects: KubernetesObject[]) {
  const client = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    await client.patch(
      object,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  }
}

export async function installReconcilerRbac(
  adminKc: KubeConfig,
): Promise<void> {
  await apply(adminKc, reconcilerRbacObjects());
}

/**
 * Creates a workload namespace with the ServiceAccount the reconciler impersonates there,
 * allowed to write the allow-listed kinds in that namespace only.
 */
export async function allowWorkloadNamespace(
  adminKc: KubeConfig,
  namespace: string,
): Promise<void> {
  await apply(adminKc, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: WORKLOAD_SERVICE_ACCOUNT, namespace },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'mlops-workload-applier', namespace },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'mlops-workload-applier',
      },
      subjects: [
        { kind: 'ServiceAccount', name: WORKLOAD_SERVICE_ACCOUNT, namespace },
      ],
    } as KubernetesObject,
  ]);
  // The namespace controller is not running: a namespace is usable as soon as it exists.
  await adminKc.makeApiClient(CoreV1Api).readNamespace({ name: namespace });
}
