import type { MlopsObjectStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import { deploymentHealth } from './deployment';
import type { KindHealth, LiveObject } from './liveObject';
import { persistentVolumeClaimHealth } from './persistentVolumeClaim';
import { pytorchJobHealth } from './pytorchJob';
import { rayClusterHealth } from './rayCluster';
import { rayJobHealth } from './rayJob';
import { scaledObjectHealth } from './scaledObject';
import { statefulSetHealth } from './statefulSet';
import { trainJobHealth } from './trainJob';

export type { LiveObject } from './liveObject';
export { pytorchJobStatus } from './pytorchJob';
export { trainJobStatus } from './trainJob';
export { rayJobStatus } from './rayJob';
export { servingStatus } from './serving';
export { scaledObjectStatus } from './scaledObject';
export { withHpa } from './horizontalPodAutoscaler';

/** Health by kind; a kind without rules (ConfigMap, Service, …) is healthy once it exists. */
const HEALTH_BY_KIND = new Map<
  string,
  (o: LiveObject, now?: number) => KindHealth
>([
  ['PyTorchJob', pytorchJobHealth],
  ['TrainJob', trainJobHealth],
  ['RayJob', rayJobHealth],
  ['RayCluster', rayClusterHealth],
  ['Deployment', deploymentHealth],
  ['StatefulSet', statefulSetHealth],
  ['ScaledObject', scaledObjectHealth],
  ['PersistentVolumeClaim', persistentVolumeClaimHealth],
]);

/** The health of any allow-listed object, with a short reason. */
export function objectStatus(o: LiveObject, now?: number): MlopsObjectStatus {
  const health = HEALTH_BY_KIND.get(o.kind);
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    ...(health ? health(o, now) : { health: 'healthy', reason: 'exists' }),
  };
}
