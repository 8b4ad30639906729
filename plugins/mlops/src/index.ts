/**
 * Frontend of the MLOps plugins: entity cards and tab for training and serving workloads.
 *
 * @packageDocumentation
 */

export {
  mlopsPlugin,
  EntityAutoscalerCard,
  EntityMlopsContent,
  EntityMlopsWorkloadCard,
  EntityReconcileStatusCard,
  EntityServingThroughputCard,
  EntityTrainingStatusCard,
} from './plugin';
export { MlopsClient, mlopsApiRef } from './api';
export type { MlopsApi, MlopsMetricsRange } from './api';
export {
  isMlopsWorkload as isMlopsAvailable,
  isMlopsWorkload,
  isServingWorkload,
  isTrainingWorkload,
} from '@internal/backstage-plugin-mlops-common';
