import type { LiveObject } from '../liveObject';

// As `kubectl get scaledobject -o json` shows them with KEDA v2.20 (managedFields dropped):
// the autoscaler the serving templates render, with a queue-depth and a GPU trigger.

const scaledObject = (
  conditions: Array<[string, string, string, string?]>,
  annotations?: Record<string, string>,
): LiveObject => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: {
    name: 'llama3-8b-chat',
    namespace: 'ml-serving',
    uid: 'b7d2e4f1-8a35-4c60-9e17-3d5a0b6c2f84',
    resourceVersion: '48577',
    generation: 1,
    creationTimestamp: '2026-11-26T09:12:44Z',
    ...(annotations ? { annotations } : {}),
  },
  spec: {
    scaleTargetRef: { name: 'llama3-8b-chat' },
    minReplicaCount: 1,
    maxReplicaCount: 4,
    cooldownPeriod: 360,
    pollingInterval: 15,
    triggers: [
      {
        type: 'prometheus',
        name: 'queue-depth',
        metadata: {
          serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
          query: 'sum(vllm:num_requests_waiting)',
          threshold: '8',
        },
      },
      {
        type: 'prometheus',
        name: 'gpu',
        metadata: {
          serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
          query: 'avg(DCGM_FI_DEV_GPU_UTIL)',
          threshold: '80',
        },
      },
    ],
  },
  status: {
    scaleTargetKind: 'apps/v1.Deployment',
    scaleTargetGVKR: {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      resource: 'deployments',
    },
    originalReplicaCount: 1,
    hpaName: 'keda-hpa-llama3-8b-chat',
    externalMetricNames: ['s0-prometheus', 's1-prometheus'],
    lastActiveTime: '2026-11-26T11:58:45Z',
    health: {
      's0-prometheus': { numberOfFailures: 0, status: 'Happy' },
      's1-prometheus': { numberOfFailures: 4, status: 'Failing' },
    },
    conditions: conditions.map(([type, status, reason, message]) => ({
      type,
      status,
      reason,
      message,
    })),
  },
});

export const ready = scaledObject([
  [
    'Ready',
    'True',
    'ScaledObjectReady',
    'ScaledObject is defined correctly and is ready for scaling',
  ],
  [
    'Active',
    'True',
    'ScalerActive',
    'Scaling is performed because triggers are active',
  ],
  [
    'Fallback',
    'False',
    'NoFallbackFound',
    'No fallbacks are active on this scaled object',
  ],
  [
    'Paused',
    'False',
    'ScaledObjectUnpaused',
    'pause annotation removed for ScaledObject',
  ],
]);
export const fallback = scaledObject([
  [
    'Ready',
    'True',
    'ScaledObjectReady',
    'ScaledObject is defined correctly and is ready for scaling',
  ],
  [
    'Active',
    'True',
    'ScalerActive',
    'Scaling is performed because triggers are active',
  ],
  [
    'Fallback',
    'True',
    'FallbackExists',
    'At least one trigger is falling back on this scaled object',
  ],
]);
export const checkFailed = scaledObject([
  [
    'Ready',
    'False',
    'ScaledObjectCheckFailed',
    "ScaledObject doesn't have correct scaleTargetRef specification",
  ],
  ['Active', 'Unknown', '', ''],
]);
export const pausedByAnnotation = scaledObject(
  [
    [
      'Ready',
      'True',
      'ScaledObjectReady',
      'ScaledObject is defined correctly and is ready for scaling',
    ],
    ['Paused', 'True', 'ScaledObjectPaused', 'ScaledObject is paused'],
  ],
  { 'autoscaling.keda.sh/paused-replicas': '0' },
);
/** The annotation is on, the operator has not set Paused yet. */
export const pauseAnnotationOnly = scaledObject(
  [
    [
      'Ready',
      'True',
      'ScaledObjectReady',
      'ScaledObject is defined correctly and is ready for scaling',
    ],
  ],
  { 'autoscaling.keda.sh/paused': 'true' },
);
/** Applied a moment ago: KEDA has not reconciled it yet. */
export const unreconciled = scaledObject([]);
