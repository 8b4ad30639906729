import type {
  MlopsHealth,
  MlopsTrainingStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  conditionsOf,
  isTrue,
  seconds,
  type KindHealth,
  type LiveObject,
} from './liveObject';

const HEALTH_BY_PHASE: Record<string, MlopsHealth> = {
  Failed: 'failed',
  Complete: 'healthy',
  Suspended: 'suspended',
  Running: 'healthy',
  Pending: 'progressing',
};

/** TrainJob (Trainer v2): conditions Complete / Failed / Suspended; running otherwise. */
export function trainJobStatus(
  o: LiveObject,
  now?: number,
): MlopsTrainingStatus {
  const conditions = conditionsOf(o);
  const phase =
    ['Failed', 'Complete', 'Suspended'].find(t => isTrue(conditions, t)) ??
    (conditions.length > 0 ? 'Running' : 'Pending');
  const replicas: MlopsTrainingStatus['replicas'] = {};
  for (const js of Array.isArray(o.status?.jobsStatus)
    ? o.status.jobsStatus
    : []) {
    replicas[js.name] = {
      active: js.active ?? 0,
      succeeded: js.succeeded ?? 0,
      failed: js.failed ?? 0,
    };
  }
  const completion = conditions.find(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  const created = o.metadata.creationTimestamp;
  return {
    kind: 'TrainJob',
    name: o.metadata.name,
    phase,
    health: HEALTH_BY_PHASE[phase],
    conditions,
    replicas,
    startTime: created,
    completionTime: completion?.lastTransitionTime,
    durationSeconds: seconds(created, completion?.lastTransitionTime, now),
    restarts: 0,
  };
}

export function trainJobHealth(o: LiveObject, now?: number): KindHealth {
  const s = trainJobStatus(o, now);
  return { health: s.health, reason: s.phase };
}
