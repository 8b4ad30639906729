export { TrainingStatusCard } from './TrainingStatusCard';
