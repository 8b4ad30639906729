import {
  servingEngineOf,
  type MlopsServingStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { deploymentHealth } from './deployment';
import type { KindHealth, LiveObject } from './liveObject';
import { statefulSetHealth } from './statefulSet';

/** The health of a model server's Deployment or StatefulSet. */
export function servingHealth(o: LiveObject): KindHealth {
  return o.kind === 'StatefulSet' ? statefulSetHealth(o) : deploymentHealth(o);
}

/** Model server card: replica counts, rollout health and the engine the pods run. */
export function servingStatus(o: LiveObject): MlopsServingStatus {
  return {
    kind: o.kind,
    name: o.metadata.name,
    desiredReplicas: o.spec?.replicas ?? 1,
    readyReplicas: o.status?.readyReplicas ?? 0,
    availableReplicas: o.status?.availableReplicas ?? 0,
    updatedReplicas: o.status?.updatedReplicas ?? 0,
    health: servingHealth(o).health,
    engine: servingEngineOf(o)?.server ?? 'unknown',
  };
}
