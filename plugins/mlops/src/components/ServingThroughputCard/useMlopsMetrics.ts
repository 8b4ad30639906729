import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { MlopsMetricsResponse } from '@mlops-plugins/backstage-plugin-mlops-common';
import { mlopsApiRef, type MlopsMetricsRange } from '../../api';
import { usePolling, type Polled } from '../shared';

/** The backend caches metrics for 5 s and Prometheus scrapes every few seconds. */
export const METRICS_REFRESH_MS = 15_000;

/** Ranges offered by the card, each with a step that keeps the chart around 60 points. */
export const METRICS_RANGES: Array<MlopsMetricsRange & { label: string }> = [
  { label: '15 min', range: '15m', step: '15s' },
  { label: '1 hour', range: '1h', step: '1m' },
  { label: '6 hours', range: '6h', step: '5m' },
  { label: '1 day', range: '24h', step: '20m' },
];

/** The entity's serving metrics over `range`, refreshed every {@link METRICS_REFRESH_MS}. */
export function useMlopsMetrics(
  range: MlopsMetricsRange,
): Polled<MlopsMetricsResponse> {
  const { entity } = useEntity();
  const api = useApi(mlopsApiRef);
  const ref = stringifyEntityRef(entity);
  const { range: window, step } = range;
  return usePolling(
    () => api.getMetrics(getCompoundEntityRef(entity), { range: window, step }),
    METRICS_REFRESH_MS,
    [api, ref, window, step],
  );
}
