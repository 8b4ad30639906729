import type { LiveObject } from '../liveObject';

// As `kubectl get statefulset -o json` shows them (managedFields dropped): a Triton server
// run as a StatefulSet, with the defaults the API server fills in.

const metadata = (generation: number) => ({
  name: 'triton-llama',
  namespace: 'ml-serving',
  uid: '0b5e7a43-91d2-4f86-b3c1-6e2a9d8f4c10',
  resourceVersion: String(73100 + generation),
  generation,
  creationTimestamp: '2026-11-26T08:30:05Z',
  labels: { 'app.kubernetes.io/managed-by': 'backstage-mlops' },
});

const spec = {
  replicas: 3,
  serviceName: 'triton-llama',
  podManagementPolicy: 'OrderedReady',
  revisionHistoryLimit: 10,
  selector: { matchLabels: { 'backstage.io/kubernetes-id': 'triton-llama' } },
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
  template: {
    metadata: { labels: { 'backstage.io/kubernetes-id': 'triton-llama' } },
    spec: {
      containers: [
        {
          name: 'triton',
          image: 'nvcr.io/nvidia/tritonserver:25.09-vllm-python-py3',
          command: ['tritonserver'],
        },
      ],
    },
  },
};

/** Generation 2 rolled out: 3 pods ready at revision …7c9f. */
export const rolledOut: LiveObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: metadata(2),
  spec,
  status: {
    observedGeneration: 2,
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    currentRevision: 'triton-llama-5d4b8c7c9f',
    updateRevision: 'triton-llama-5d4b8c7c9f',
    collisionCount: 0,
  },
};

/** Generation 3 was just applied; the controller still reports on generation 2. */
export const newGenerationUnobserved: LiveObject = {
  ...rolledOut,
  metadata: metadata(3),
};

/** Rolling update to …6b2d: the controller recreated pod 2, which is not ready yet. */
export const podRecreating: LiveObject = {
  ...rolledOut,
  metadata: metadata(3),
  status: {
    observedGeneration: 3,
    replicas: 3,
    readyReplicas: 2,
    currentReplicas: 2,
    updatedReplicas: 1,
    availableReplicas: 2,
    currentRevision: 'triton-llama-5d4b8c7c9f',
    updateRevision: 'triton-llama-84f9c96b2d',
    collisionCount: 0,
  },
};

/** Pod 2 is ready at the new revision; pods 1 and 0 are still to go. */
export const rollingUpdate: LiveObject = {
  ...podRecreating,
  status: {
    ...podRecreating.status,
    readyReplicas: 3,
    availableReplicas: 3,
  },
};

/** Every pod is ready at the update revision; the controller has not made it current yet. */
export const revisionNotCurrent: LiveObject = {
  ...podRecreating,
  status: {
    ...podRecreating.status,
    readyReplicas: 3,
    availableReplicas: 3,
    currentReplicas: 0,
    updatedReplicas: 3,
  },
};

/** A canary: partition 2 updates only pod 2, which is ready at the new revision. */
export const partitionedCanaryDone: LiveObject = {
  ...rollingUpdate,
  spec: {
    ...spec,
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
  },
};

/** A partition of 1: pods 2 and 1 must update; only pod 2 has. */
export const partitionedInProgress: LiveObject = {
  ...rollingUpdate,
  spec: {
    ...spec,
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
  },
};

/** OnDelete: the new revision waits for someone to delete the pods; all are ready. */
export const onDeletePending: LiveObject = {
  ...rolledOut,
  metadata: metadata(3),
  spec: { ...spec, updateStrategy: { type: 'OnDelete' } },
  status: {
    ...rolledOut.status,
    observedGeneration: 3,
    updatedReplicas: 0,
    updateRevision: 'triton-llama-84f9c96b2d',
  },
};
