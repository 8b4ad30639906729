import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  MlopsEntityStatusResponse,
  MlopsMetricsResponse,
  MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/** Time window of a metrics request, as durations the backend accepts (`15m`, `30s`). @public */
export interface MlopsMetricsRange {
  range: string;
  step: string;
}

/** Client of the mlops-backend REST API (`/api/mlops/v1`). @public */
export interface MlopsApi {
  getStatus(entity: CompoundEntityRef): Promise<MlopsEntityStatusResponse>;
  getMetrics(
    entity: CompoundEntityRef,
    range: MlopsMetricsRange,
  ): Promise<MlopsMetricsResponse>;
  sync(
    entity: CompoundEntityRef,
    options?: { confirmPrune?: boolean },
  ): Promise<MlopsReconcileStatus>;
}

/** @public */
export const mlopsApiRef = createApiRef<MlopsApi>({ id: 'plugin.mlops' });
