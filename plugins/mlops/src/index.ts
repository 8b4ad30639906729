/**
 * Frontend of the MLOps plugins: entity cards and tab for training and serving workloads.
 *
 * @packageDocumentation
 */

export { mlopsPlugin, EntityMlopsWorkloadCard } from './plugin';
export {
  isMlopsWorkload as isMlopsAvailable,
  isMlopsWorkload,
  isServingWorkload,
  isTrainingWorkload,
} from '@internal/backstage-plugin-mlops-common';
