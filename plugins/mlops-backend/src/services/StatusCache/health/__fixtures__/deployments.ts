import type { LiveObject } from '../liveObject';

// As `kubectl get deployment -o json` shows them (managedFields dropped): the vLLM server
// the vllm-model-server template renders, at the moments of a rollout the rules tell apart.

const metadata = (generation: number) => ({
  name: 'llama3-8b-chat',
  namespace: 'ml-serving',
  uid: '6f0c2d9e-3b1a-4c7e-9a52-8d4b1e07c3f5',
  resourceVersion: String(48210 + generation),
  generation,
  creationTimestamp: '2026-11-26T09:12:44Z',
  labels: {
    'app.kubernetes.io/managed-by': 'backstage-mlops',
    'backstage.io/kubernetes-id': 'llama3-8b-chat',
    'mlops/entity': 'component.default.llama3-8b-chat',
  },
  annotations: { 'deployment.kubernetes.io/revision': String(generation) },
});

const spec = {
  replicas: 2,
  progressDeadlineSeconds: 600,
  revisionHistoryLimit: 10,
  selector: { matchLabels: { 'backstage.io/kubernetes-id': 'llama3-8b-chat' } },
  strategy: {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
  },
  template: {
    metadata: {
      labels: { 'backstage.io/kubernetes-id': 'llama3-8b-chat' },
    },
    spec: {
      containers: [
        {
          name: 'vllm',
          image: 'vllm/vllm-openai:v0.29.0',
          command: ['vllm', 'serve'],
          args: ['/models/llama-3.1-8b-instruct', '--port=8000'],
        },
      ],
    },
  },
};

const available = {
  type: 'Available',
  status: 'True',
  lastUpdateTime: '2026-11-26T09:19:02Z',
  lastTransitionTime: '2026-11-26T09:19:02Z',
  reason: 'MinimumReplicasAvailable',
  message: 'Deployment has minimum availability.',
};

const progressed = {
  type: 'Progressing',
  status: 'True',
  lastUpdateTime: '2026-11-26T09:21:40Z',
  lastTransitionTime: '2026-11-26T09:12:44Z',
  reason: 'NewReplicaSetAvailable',
  message:
    'ReplicaSet "llama3-8b-chat-7d9c6b8f5d" has successfully progressed.',
};

const rollingOut = {
  type: 'Progressing',
  status: 'True',
  lastUpdateTime: '2026-11-26T11:40:12Z',
  lastTransitionTime: '2026-11-26T09:12:44Z',
  reason: 'ReplicaSetUpdated',
  message: 'ReplicaSet "llama3-8b-chat-5b8d6f9c47" is progressing.',
};

/** Generation 3 fully rolled out: 2 of 2 replicas updated and available. */
export const rolledOut: LiveObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: metadata(3),
  spec,
  status: {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [available, progressed],
  },
};

/** Generation 4 was just applied; the controller still reports on generation 3. */
export const newGenerationUnobserved: LiveObject = {
  ...rolledOut,
  metadata: metadata(4),
  spec: { ...spec, replicas: 3 },
};

/**
 * Generation 4 mid-rollout with maxUnavailable 0: the surge pod of the new ReplicaSet is ready
 * and both old pods still serve, so 3 are available for 2 desired, yet only 1 runs the new template.
 */
export const surgePodUp: LiveObject = {
  ...rolledOut,
  metadata: metadata(4),
  status: {
    observedGeneration: 4,
    replicas: 3,
    updatedReplicas: 1,
    readyReplicas: 3,
    availableReplicas: 3,
    conditions: [available, rollingOut],
  },
};

/** Both new pods are available; the last old pod is still terminating. */
export const oldPodTerminating: LiveObject = {
  ...rolledOut,
  metadata: metadata(4),
  status: {
    observedGeneration: 4,
    replicas: 3,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [available, rollingOut],
  },
};

/** Every pod runs the new template, one is not available yet (loading its weights). */
export const updatedPodLoading: LiveObject = {
  ...rolledOut,
  metadata: metadata(4),
  status: {
    observedGeneration: 4,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [available, rollingOut],
  },
};

/** The surge pod never became ready (it cannot get a GPU) within progressDeadlineSeconds. */
export const progressDeadlineExceeded: LiveObject = {
  ...rolledOut,
  metadata: metadata(4),
  status: {
    observedGeneration: 4,
    replicas: 3,
    updatedReplicas: 1,
    readyReplicas: 2,
    availableReplicas: 2,
    unavailableReplicas: 1,
    conditions: [
      available,
      {
        type: 'Progressing',
        status: 'False',
        lastUpdateTime: '2026-11-26T11:50:13Z',
        lastTransitionTime: '2026-11-26T11:50:13Z',
        reason: 'ProgressDeadlineExceeded',
        message:
          'ReplicaSet "llama3-8b-chat-5b8d6f9c47" has timed out progressing.',
      },
    ],
  },
};

/** `kubectl rollout pause` mid-rollout. */
export const paused: LiveObject = {
  ...surgePodUp,
  metadata: metadata(5),
  spec: { ...spec, paused: true },
  status: {
    ...surgePodUp.status,
    observedGeneration: 5,
    conditions: [
      available,
      {
        type: 'Progressing',
        status: 'Unknown',
        lastUpdateTime: '2026-11-26T11:42:00Z',
        lastTransitionTime: '2026-11-26T11:42:00Z',
        reason: 'DeploymentPaused',
        message: 'Deployment is paused',
      },
    ],
  },
};

/** KEDA scaled it to zero: the API server omits the zero counts. */
export const scaledToZero: LiveObject = {
  ...rolledOut,
  spec: { ...spec, replicas: 0 },
  status: {
    observedGeneration: 3,
    conditions: [available, progressed],
  },
};

/** Created a moment ago: no status at all yet. */
export const justCreated: LiveObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: metadata(1),
  spec,
};
