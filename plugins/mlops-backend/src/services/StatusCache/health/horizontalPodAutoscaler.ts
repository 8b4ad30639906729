import type { MlopsAutoscalingStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { LiveObject } from './liveObject';

/** Adds what KEDA's HPA knows: current/desired replicas and each trigger's current value. */
export function withHpa(
  status: MlopsAutoscalingStatus,
  hpa: LiveObject | undefined,
): MlopsAutoscalingStatus {
  if (!hpa?.status) return status;
  const values = new Map<string, string>();
  for (const m of Array.isArray(hpa.status.currentMetrics)
    ? hpa.status.currentMetrics
    : []) {
    const name = m?.external?.metric?.name;
    const current = m?.external?.current;
    const value = current?.value ?? current?.averageValue;
    if (name && value !== undefined) values.set(String(name), String(value));
  }
  return {
    ...status,
    currentReplicas: hpa.status.currentReplicas,
    desiredReplicas: hpa.status.desiredReplicas,
    lastScaleTime: hpa.status.lastScaleTime,
    triggers: status.triggers.map(t => {
      const currentValue = t.metricName ? values.get(t.metricName) : undefined;
      return currentValue === undefined ? t : { ...t, currentValue };
    }),
  };
}
