export { ConditionsTable } from './ConditionsTable';
export { whyNoObject } from './emptyDescription';
export * from './format';
export { HealthChip } from './HealthChip';
export { LastUpdated, PolledCard, RequireMlopsAnnotations } from './MlopsCard';
export { Stat, StatRow } from './Stat';
export { useMlopsStatus, STATUS_REFRESH_MS } from './useMlopsStatus';
export { usePolling } from './usePolling';
export type { Polled } from './usePolling';
