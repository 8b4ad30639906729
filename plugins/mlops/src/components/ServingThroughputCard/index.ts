export { ServingThroughputCard } from './ServingThroughputCard';
