export { mlopsApiRef } from './MlopsApi';
export type { MlopsApi, MlopsMetricsRange } from './MlopsApi';
export { MlopsClient } from './MlopsClient';
