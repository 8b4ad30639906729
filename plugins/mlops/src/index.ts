/**
 * Frontend of the MLOps plugins: entity cards and tab for training and serving workloads, and
 * the Create form's GPU memory plan field.
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
  MlopsServingPlanFieldExtension,
} from './plugin';
export { SERVING_PLAN_FIELD, ServingPlanView } from './scaffolder';
export { MlopsClient, mlopsApiRef } from './api';
export type { MlopsApi, MlopsMetricsRange } from './api';
export {
  isMlopsWorkload as isMlopsAvailable,
  isMlopsWorkload,
  isServingWorkload,
  isTrainingWorkload,
} from '@mlops-plugins/backstage-plugin-mlops-common';
