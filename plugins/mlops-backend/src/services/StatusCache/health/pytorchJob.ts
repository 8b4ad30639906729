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

const HEALTH_BY_PHASE: Record<string, MlopsHealth> = {
  Succeeded: 'healthy',
  Running: 'healthy',
  Failed: 'failed',
  Suspended: 'suspended',
  Restarting: 'degraded',
};

/** PyTorchJob: the last condition with status True decides, as `kubectl get pytorchjob` shows it. */
export function pytorchJobStatus(
  o: LiveObject,
  now?: number,
): MlopsTrainingStatus {
  const conditions = conditionsOf(o);
  const last = [...conditions].reverse().find(c => c.status === 'True');
  const phase = last?.type ?? 'Pending';
  const replicas: MlopsTrainingStatus['replicas'] = {};
  for (const [type, s] of Object.entries<any>(
    o.status?.replicaStatuses ?? {},
  )) {
    replicas[type] = {
      active: s?.active ?? 0,
      succeeded: s?.succeeded ?? 0,
      failed: s?.failed ?? 0,
    };
  }
  return {
    kind: 'PyTorchJob',
    name: o.metadata.name,
    phase,
    health: HEALTH_BY_PHASE[phase] ?? 'progressing',
    conditions,
    replicas,
    startTime: o.status?.startTime,
    completionTime: o.status?.completionTime,
    durationSeconds: seconds(
      o.status?.startTime,
      o.status?.completionTime,
      now,
    ),
    restarts: conditions.filter(c => c.type === 'Restarting').length,
    cleanPodPolicy: o.spec?.runPolicy?.cleanPodPolicy,
  };
}

export function pytorchJobHealth(o: LiveObject, now?: number): KindHealth {
  const s = pytorchJobStatus(o, now);
  return { health: s.health, reason: s.phase };
}
