export { AutoscalerCard } from './AutoscalerCard';
export { MlopsContent } from './MlopsContent';
export { MlopsWorkloadCard } from './MlopsWorkloadCard';
export { ReconcileStatusCard } from './ReconcileStatusCard';
export { ServingThroughputCard } from './ServingThroughputCard';
export { TrainingStatusCard } from './TrainingStatusCard';
