import type { LiveObject } from '../liveObject';

// As `kubectl get trainjob -o json` shows them with Kubeflow Trainer v2 (managedFields dropped).

const metadata = {
  name: 'llama-finetune',
  namespace: 'ml-training',
  uid: '3c7f2a90-5e18-4d6b-8b21-f04a9e6c1d57',
  resourceVersion: '60321',
  generation: 1,
  creationTimestamp: '2026-11-26T11:00:00Z',
};

const spec = {
  runtimeRef: {
    apiGroup: 'trainer.kubeflow.org',
    kind: 'ClusterTrainingRuntime',
    name: 'torch-distributed',
  },
  trainer: { numNodes: 2 },
};

const jobsStatus = (active: number, succeeded: number, failed: number) => [
  { name: 'node', ready: active, active, succeeded, failed, suspended: 0 },
];

/** Created; the JobSet's pods are starting and no condition is reported yet. */
export const pendingJob: LiveObject = {
  apiVersion: 'trainer.kubeflow.org/v1alpha1',
  kind: 'TrainJob',
  metadata,
  spec,
  status: { jobsStatus: jobsStatus(2, 0, 0) },
};

/** Resumed after a suspension: the Suspended condition stays, False. */
export const resumedJob: LiveObject = {
  ...pendingJob,
  status: {
    conditions: [
      {
        type: 'Suspended',
        status: 'False',
        reason: 'Resumed',
        message: 'TrainJob is resumed',
        lastTransitionTime: '2026-11-26T11:05:00Z',
      },
    ],
    jobsStatus: jobsStatus(2, 0, 0),
  },
};

export const completeJob: LiveObject = {
  ...pendingJob,
  status: {
    conditions: [
      {
        type: 'Complete',
        status: 'True',
        reason: 'JobsCompleted',
        message: 'jobset completed successfully',
        lastTransitionTime: '2026-11-26T11:10:00Z',
      },
    ],
    jobsStatus: jobsStatus(0, 2, 0),
  },
};

export const failedJob: LiveObject = {
  ...pendingJob,
  status: {
    conditions: [
      {
        type: 'Failed',
        status: 'True',
        reason: 'FailedJobs',
        message: 'jobset failed: job "llama-finetune-node-0" has failed',
        lastTransitionTime: '2026-11-26T11:20:00Z',
      },
    ],
    jobsStatus: jobsStatus(0, 0, 1),
  },
};

export const suspendedJob: LiveObject = {
  ...pendingJob,
  spec: { ...spec, suspend: true },
  status: {
    conditions: [
      {
        type: 'Suspended',
        status: 'True',
        reason: 'Suspended',
        message: 'TrainJob is suspended',
        lastTransitionTime: '2026-11-26T11:02:00Z',
      },
    ],
  },
};

/** Applied a moment ago: no status yet. */
export const newJob: LiveObject = {
  apiVersion: 'trainer.kubeflow.org/v1alpha1',
  kind: 'TrainJob',
  metadata,
  spec,
};
