import type {
  MlopsHealth,
  MlopsTrainingStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  conditionsOf,
  seconds,
  type KindHealth,
  type LiveObject,
} from './liveObject';

function rayJobHealthOf(jobStatus: string, deployment: string): MlopsHealth {
  if (jobStatus === 'SUCCEEDED') return 'healthy';
  // KubeRay retries only within backoffLimit; the failed attempt's jobStatus lingers meanwhile.
  if (deployment === 'Retrying') return 'degraded';
  if (
    jobStatus === 'FAILED' ||
    deployment === 'Failed' ||
    deployment === 'ValidationFailed'
  )
    return 'failed';
  if (jobStatus === 'STOPPED' || deployment === 'Suspended') return 'suspended';
  if (jobStatus === 'RUNNING') return 'healthy';
  return 'progressing';
}

/** RayJob: jobStatus (Ray's view) when set, else jobDeploymentStatus (KubeRay's view). */
export function rayJobStatus(o: LiveObject, now?: number): MlopsTrainingStatus {
  const jobStatus: string = o.status?.jobStatus ?? '';
  const deployment: string = o.status?.jobDeploymentStatus ?? '';
  return {
    kind: 'RayJob',
    name: o.metadata.name,
    phase: jobStatus || deployment || 'Pending',
    health: rayJobHealthOf(jobStatus, deployment),
    conditions: conditionsOf(o),
    replicas: {},
    startTime: o.status?.startTime,
    completionTime: o.status?.endTime,
    durationSeconds: seconds(o.status?.startTime, o.status?.endTime, now),
    // KubeRay counts the final, terminal failure in `failed` too; only the earlier ones were retries.
    restarts: Math.max(
      0,
      (o.status?.failed ?? 0) - (deployment === 'Failed' ? 1 : 0),
    ),
  };
}

export function rayJobHealth(o: LiveObject, now?: number): KindHealth {
  const s = rayJobStatus(o, now);
  // A RayJob has no conditions; KubeRay explains a failure in status.reason.
  const why: string | undefined = o.status?.reason;
  return { health: s.health, reason: why ? `${s.phase}: ${why}` : s.phase };
}
