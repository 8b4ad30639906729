import type { LiveObject } from '../liveObject';

// As `kubectl get pytorchjob -o json` shows them with training-operator v1.9 (managedFields
// dropped): the job the pytorch-distributed-training template renders.

const metadata = {
  name: 'resnet50-ddp',
  namespace: 'ml-training',
  uid: '9a3e51c2-7d04-4b8f-a6e1-2c5d8f0b7e93',
  resourceVersion: '51844',
  generation: 1,
  creationTimestamp: '2026-11-26T10:59:58Z',
  labels: { 'app.kubernetes.io/managed-by': 'backstage-mlops' },
};

const spec = {
  runPolicy: { cleanPodPolicy: 'Running', suspend: false },
  pytorchReplicaSpecs: {
    Master: { replicas: 1, restartPolicy: 'OnFailure' },
    Worker: { replicas: 2, restartPolicy: 'OnFailure' },
  },
};

const condition = (
  type: string,
  status: string,
  at: string,
  reason: string,
  message: string,
) => ({
  type,
  status,
  reason,
  message,
  lastUpdateTime: at,
  lastTransitionTime: at,
});

const created = condition(
  'Created',
  'True',
  '2026-11-26T11:00:00Z',
  'PyTorchJobCreated',
  'PyTorchJob resnet50-ddp is created.',
);
const running = (status: string) =>
  condition(
    'Running',
    status,
    '2026-11-26T11:01:00Z',
    'PyTorchJobRunning',
    'PyTorchJob ml-training/resnet50-ddp is running.',
  );

/** Master and both workers running; one worker pod failed once before. */
export const runningJob: LiveObject = {
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  metadata,
  spec,
  status: {
    conditions: [created, running('True')],
    replicaStatuses: {
      Master: {
        active: 1,
        selector: 'training.kubeflow.org/replica-type=master',
      },
      Worker: {
        active: 2,
        failed: 1,
        selector: 'training.kubeflow.org/replica-type=worker',
      },
    },
    startTime: '2026-11-26T11:00:00Z',
    lastReconcileTime: '2026-11-26T11:01:00Z',
  },
};

/** Pods created, none scheduled yet. */
export const createdJob: LiveObject = {
  ...runningJob,
  status: {
    conditions: [created],
    replicaStatuses: { Master: {}, Worker: {} },
    startTime: '2026-11-26T11:00:00Z',
  },
};

/** A worker exited with a retryable code; the operator restarts the pods. */
export const restartingJob: LiveObject = {
  ...runningJob,
  status: {
    ...runningJob.status,
    conditions: [
      created,
      running('False'),
      condition(
        'Restarting',
        'True',
        '2026-11-26T11:20:00Z',
        'PyTorchJobRestarting',
        'PyTorchJob resnet50-ddp is restarting because 1 Worker replica(s) failed.',
      ),
    ],
  },
};

export const succeededJob: LiveObject = {
  ...runningJob,
  status: {
    conditions: [
      created,
      running('False'),
      condition(
        'Succeeded',
        'True',
        '2026-11-26T11:45:00Z',
        'PyTorchJobSucceeded',
        'PyTorchJob ml-training/resnet50-ddp successfully completed.',
      ),
    ],
    replicaStatuses: { Master: { succeeded: 1 }, Worker: { succeeded: 2 } },
    startTime: '2026-11-26T11:00:00Z',
    completionTime: '2026-11-26T11:45:00Z',
  },
};

export const failedJob: LiveObject = {
  ...runningJob,
  status: {
    conditions: [
      created,
      running('False'),
      condition(
        'Failed',
        'True',
        '2026-11-26T11:30:00Z',
        'PyTorchJobFailed',
        'PyTorchJob ml-training/resnet50-ddp is failed because 1 Master replica(s) failed.',
      ),
    ],
    replicaStatuses: { Master: { failed: 1 }, Worker: { active: 2 } },
    startTime: '2026-11-26T11:00:00Z',
    completionTime: '2026-11-26T11:30:00Z',
  },
};

/** `runPolicy.suspend: true`: the operator deleted the pods. */
export const suspendedJob: LiveObject = {
  ...runningJob,
  spec: { ...spec, runPolicy: { ...spec.runPolicy, suspend: true } },
  status: {
    conditions: [
      created,
      running('False'),
      condition(
        'Suspended',
        'True',
        '2026-11-26T11:10:00Z',
        'PyTorchJobSuspended',
        'PyTorchJob resnet50-ddp is suspended.',
      ),
    ],
    replicaStatuses: { Master: {}, Worker: {} },
  },
};

/** Applied a moment ago: the operator has not written a status yet. */
export const newJob: LiveObject = {
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  metadata,
  spec,
};
