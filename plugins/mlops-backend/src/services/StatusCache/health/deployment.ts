import {
  conditionsOf,
  generationLag,
  type KindHealth,
  type LiveObject,
} from './liveObject';

/**
 * Deployment, by the rules of `kubectl rollout status` (which gitops-engine's
 * health_deployment.go follows): healthy only once every replica runs the latest template
 * and is available; a rollout still under way is progressing, one past its deadline degraded.
 */
export function deploymentHealth(o: LiveObject): KindHealth {
  if (o.spec?.paused) {
    return { health: 'suspended', reason: 'rollout paused (spec.paused)' };
  }
  const lag = generationLag(o);
  if (lag) return { health: 'progressing', reason: lag };
  const progressing = conditionsOf(o).find(c => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      health: 'degraded',
      reason: `ProgressDeadlineExceeded: ${
        progressing.message ??
        `no progress in ${o.spec?.progressDeadlineSeconds ?? 600}s`
      }`,
    };
  }
  const desired: number = o.spec?.replicas ?? 1;
  const replicas: number = o.status?.replicas ?? 0;
  const updated: number = o.status?.updatedReplicas ?? 0;
  const available: number = o.status?.availableReplicas ?? 0;
  if (updated < desired) {
    return {
      health: 'progressing',
      reason: `rollout: ${updated} of ${desired} replicas updated`,
    };
  }
  if (replicas > updated) {
    return {
      health: 'progressing',
      reason: `rollout: ${replicas - updated} old replicas pending termination`,
    };
  }
  if (available < updated) {
    return {
      health: 'progressing',
      reason: `rollout: ${available} of ${updated} updated replicas available`,
    };
  }
  return {
    health: 'healthy',
    reason: `${available}/${desired} replicas available`,
  };
}
