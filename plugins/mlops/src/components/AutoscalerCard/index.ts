export { AutoscalerCard } from './AutoscalerCard';
