import type {
  MlopsCondition,
  MlopsHealth,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/** A live object as JSON from the API server. */
export type LiveObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
  };
  spec?: any;
  status?: any;
};

/** One object's verdict and why, in a few words. */
export interface KindHealth {
  health: MlopsHealth;
  reason: string;
}

export const conditionsOf = (o: LiveObject): MlopsCondition[] =>
  (Array.isArray(o.status?.conditions) ? o.status.conditions : []).map(
    (c: any) => ({
      type: String(c.type),
      status: String(c.status),
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime ?? c.lastUpdateTime,
    }),
  );

export const isTrue = (conditions: MlopsCondition[], type: string) =>
  conditions.some(c => c.type === type && c.status === 'True');

/** Seconds from start to end, or to now while running. */
export function seconds(
  start?: string,
  end?: string,
  now = Date.now(),
): number | undefined {
  if (!start) return undefined;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  return Number.isFinite(from) && Number.isFinite(to)
    ? Math.max(0, Math.round((to - from) / 1000))
    : undefined;
}

/** The controller has not yet acted on the latest spec: nothing in status describes it. */
export function generationLag(o: LiveObject): string | undefined {
  const generation = o.metadata.generation ?? 0;
  const observed = o.status?.observedGeneration ?? 0;
  return generation > observed
    ? `waiting for the controller to observe generation ${generation} (observed ${observed})`
    : undefined;
}
