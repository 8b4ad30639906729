import type { LiveObject } from '../liveObject';

// As `kubectl get raycluster -o json` shows them with KubeRay v1.4 (managedFields dropped).

const rayCluster = (
  state: string | undefined,
  conditions: Array<[string, string, string]>,
  extra: Record<string, unknown> = {},
): LiveObject => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: {
    name: 'ray-workers',
    namespace: 'ml-training',
    uid: '5e8b0d21-6c3f-4a97-b1e4-2f7d9a0c6b38',
    resourceVersion: '71102',
    generation: 1,
    creationTimestamp: '2026-11-26T10:50:00Z',
  },
  spec: {
    rayVersion: '2.49.0',
    headGroupSpec: { rayStartParams: {} },
    workerGroupSpecs: [
      { groupName: 'gpu', replicas: 2, minReplicas: 0, maxReplicas: 4 },
    ],
  },
  status: {
    ...(state ? { state } : {}),
    desiredWorkerReplicas: 2,
    readyWorkerReplicas: 2,
    availableWorkerReplicas: 2,
    head: { podName: 'ray-workers-head-x7p2k', podIP: '10.244.1.17' },
    observedGeneration: 1,
    conditions: conditions.map(([type, status, reason]) => ({
      type,
      status,
      reason,
      lastTransitionTime: '2026-11-26T10:52:00Z',
    })),
    ...extra,
  },
});

export const ready = rayCluster('ready', [
  ['HeadPodReady', 'True', 'HeadPodRunningAndReady'],
  ['RayClusterProvisioned', 'True', 'AllPodRunningAndReadyFirstTime'],
]);
export const headStarting = rayCluster(
  undefined,
  [
    ['HeadPodReady', 'False', 'HeadPodNotFound'],
    ['RayClusterProvisioned', 'False', 'RayClusterPodsProvisioning'],
  ],
  { readyWorkerReplicas: 0, availableWorkerReplicas: 0 },
);
export const replicaFailure = rayCluster('ready', [
  ['HeadPodReady', 'True', 'HeadPodRunningAndReady'],
  ['ReplicaFailure', 'True', 'FailedCreateWorkerPod'],
]);
export const suspendedByState = rayCluster('suspended', [
  ['RayClusterSuspended', 'True', 'RayClusterSuspended'],
]);
export const suspendedByCondition = rayCluster(undefined, [
  ['RayClusterSuspended', 'True', 'RayClusterSuspended'],
]);
