import {
  conditionsOf,
  isTrue,
  type KindHealth,
  type LiveObject,
} from './liveObject';

/** RayCluster: state ready and HeadPodReady; a ReplicaFailure is degraded. */
export function rayClusterHealth(o: LiveObject): KindHealth {
  const conditions = conditionsOf(o);
  if (
    o.status?.state === 'suspended' ||
    isTrue(conditions, 'RayClusterSuspended')
  )
    return { health: 'suspended', reason: 'suspended' };
  if (isTrue(conditions, 'ReplicaFailure'))
    return { health: 'degraded', reason: 'replica failure' };
  if (o.status?.state === 'ready' && isTrue(conditions, 'HeadPodReady')) {
    return {
      health: 'healthy',
      reason: `${o.status?.readyWorkerReplicas ?? 0}/${
        o.status?.desiredWorkerReplicas ?? 0
      } workers ready`,
    };
  }
  return { health: 'progressing', reason: 'head pod not ready' };
}
