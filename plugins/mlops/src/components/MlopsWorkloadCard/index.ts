export { MlopsWorkloadCard } from './MlopsWorkloadCard';
