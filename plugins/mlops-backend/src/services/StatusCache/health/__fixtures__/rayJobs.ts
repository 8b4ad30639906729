import type { LiveObject } from '../liveObject';

// As `kubectl get rayjob -o json` shows them with KubeRay v1.4 (managedFields dropped): the
// job the ray-training template renders, at each jobStatus / jobDeploymentStatus pair.

const metadata = {
  name: 'ray-tune-bert',
  namespace: 'ml-training',
  uid: 'd41a7c3e-0f92-4b5d-8e6a-71c2b9f3a048',
  resourceVersion: '70215',
  generation: 1,
  creationTimestamp: '2026-11-26T10:58:30Z',
};

const spec = {
  entrypoint: 'python /home/ray/code/train.py',
  shutdownAfterJobFinishes: true,
  backoffLimit: 2,
  submissionMode: 'K8sJobMode',
};

const rayJob = (status: Record<string, unknown>): LiveObject => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata,
  spec,
  status: {
    rayClusterName: 'ray-tune-bert-rkq9x',
    dashboardURL:
      'ray-tune-bert-rkq9x-head-svc.ml-training.svc.cluster.local:8265',
    jobId: 'ray-tune-bert-8mzt4',
    startTime: '2026-11-26T11:00:00Z',
    observedGeneration: 1,
    ...status,
  },
});

export const initializing = rayJob({ jobDeploymentStatus: 'Initializing' });
export const submitted = rayJob({
  jobStatus: 'PENDING',
  jobDeploymentStatus: 'Running',
});
export const running = rayJob({
  jobStatus: 'RUNNING',
  jobDeploymentStatus: 'Running',
});
export const succeeded = rayJob({
  jobStatus: 'SUCCEEDED',
  jobDeploymentStatus: 'Complete',
  endTime: '2026-11-26T11:40:00Z',
  succeeded: 1,
});
/** The last of three attempts failed: `failed` counts it too. */
export const failed = rayJob({
  jobStatus: 'FAILED',
  jobDeploymentStatus: 'Failed',
  endTime: '2026-11-26T11:30:00Z',
  failed: 3,
  reason: 'AppFailed',
  message: 'Job entrypoint command failed with exit code 1',
});
export const validationFailed = rayJob({
  jobDeploymentStatus: 'ValidationFailed',
  reason: 'ValidationFailed',
  message: 'The RayJob spec is invalid: entrypoint is empty',
});
/** An attempt failed; KubeRay deletes the cluster and tries again (backoffLimit 2). */
export const retrying = rayJob({
  jobStatus: 'FAILED',
  jobDeploymentStatus: 'Retrying',
  failed: 1,
});
export const retryingNewAttempt = rayJob({
  jobDeploymentStatus: 'Retrying',
  failed: 2,
});
export const stopped = rayJob({
  jobStatus: 'STOPPED',
  jobDeploymentStatus: 'Suspended',
});
export const suspended = rayJob({ jobDeploymentStatus: 'Suspended' });

/** Applied a moment ago: no status yet. */
export const newJob: LiveObject = {
  apiVersion: 'ray.io/v1',
  kind: 'RayJob',
  metadata,
  spec,
};
