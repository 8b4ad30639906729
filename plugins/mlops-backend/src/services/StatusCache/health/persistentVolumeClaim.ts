import type { MlopsHealth } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { KindHealth, LiveObject } from './liveObject';

const HEALTH_BY_PHASE: Record<string, MlopsHealth> = {
  Bound: 'healthy',
  Lost: 'failed',
};

/** PersistentVolumeClaim: Bound is healthy, Lost failed, Pending (waiting for a volume) progressing. */
export function persistentVolumeClaimHealth(o: LiveObject): KindHealth {
  const phase: string = o.status?.phase ?? 'Pending';
  return { health: HEALTH_BY_PHASE[phase] ?? 'progressing', reason: phase };
}
