import type {
  MlopsAutoscalingStatus,
  MlopsHealth,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  conditionsOf,
  isTrue,
  type KindHealth,
  type LiveObject,
} from './liveObject';

/** KEDA ScaledObject: Ready decides; a Fallback in force is degraded; Paused is suspended. */
export function scaledObjectStatus(o: LiveObject): MlopsAutoscalingStatus {
  const conditions = conditionsOf(o);
  const pausedAnnotation =
    o.metadata.annotations?.['autoscaling.keda.sh/paused-replicas'] ??
    o.metadata.annotations?.['autoscaling.keda.sh/paused'];
  const paused = isTrue(conditions, 'Paused') || pausedAnnotation !== undefined;
  const ready = conditions.find(c => c.type === 'Ready');
  let health: MlopsHealth = 'progressing';
  if (paused) health = 'suspended';
  else if (ready?.status === 'False') health = 'failed';
  else if (isTrue(conditions, 'Fallback')) health = 'degraded';
  else if (ready?.status === 'True') health = 'healthy';
  const metricHealth = o.status?.health ?? {};
  const metricNames: string[] = o.status?.externalMetricNames ?? [];
  const triggers = (Array.isArray(o.spec?.triggers) ? o.spec.triggers : []).map(
    (t: any, i: number) => {
      const metricName = metricNames[i];
      return {
        name: t.name,
        type: String(t.type),
        metricName,
        query: t.metadata?.query,
        threshold: t.metadata?.threshold ?? t.metadata?.value,
        health: metricName ? metricHealth[metricName]?.status : undefined,
      };
    },
  );
  return {
    name: o.metadata.name,
    health,
    minReplicas: o.spec?.minReplicaCount,
    maxReplicas: o.spec?.maxReplicaCount,
    cooldownSeconds: o.spec?.cooldownPeriod,
    pollingIntervalSeconds: o.spec?.pollingInterval,
    hpaName: o.status?.hpaName,
    paused,
    lastActiveTime: o.status?.lastActiveTime,
    conditions,
    triggers,
  };
}

export function scaledObjectHealth(o: LiveObject): KindHealth {
  const s = scaledObjectStatus(o);
  const ready = s.conditions.find(c => c.type === 'Ready');
  return {
    health: s.health,
    reason: ready?.reason ?? (s.paused ? 'paused' : 'no Ready condition yet'),
  };
}
