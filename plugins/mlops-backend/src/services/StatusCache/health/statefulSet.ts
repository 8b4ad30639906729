import { generationLag, type KindHealth, type LiveObject } from './liveObject';

/**
 * StatefulSet, by the rules of `kubectl rollout status` (gitops-engine's
 * health_statefulset.go): every pod ready, then every pod above the partition at the update
 * revision. OnDelete updates pods only when they are deleted, so readiness alone decides.
 */
export function statefulSetHealth(o: LiveObject): KindHealth {
  const lag = generationLag(o);
  if (lag) return { health: 'progressing', reason: lag };
  const desired: number = o.spec?.replicas ?? 1;
  const ready: number = o.status?.readyReplicas ?? 0;
  const updated: number = o.status?.updatedReplicas ?? 0;
  if (ready < desired) {
    return {
      health: 'progressing',
      reason: `${ready} of ${desired} pods ready`,
    };
  }
  if (o.spec?.updateStrategy?.type === 'OnDelete') {
    return {
      health: 'healthy',
      reason: `${ready}/${desired} pods ready (OnDelete: pods update when deleted)`,
    };
  }
  const partition: number =
    o.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (updated < desired - partition) {
    return {
      health: 'progressing',
      reason: `rollout: ${updated} of ${desired - partition} pods updated${
        partition > 0 ? ` (partition ${partition})` : ''
      }`,
    };
  }
  // Below a partition the old revision stays by design; without one it must be gone.
  const { currentRevision, updateRevision } = o.status ?? {};
  if (partition === 0 && updateRevision && updateRevision !== currentRevision) {
    return {
      health: 'progressing',
      reason: `rollout: waiting for revision ${updateRevision} to become current`,
    };
  }
  return {
    health: 'healthy',
    reason: `${ready}/${desired} pods ready${
      partition > 0 ? `, ${updated} updated (partition ${partition})` : ''
    }`,
  };
}
