import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { MlopsEntityStatusResponse } from '@mlops-plugins/backstage-plugin-mlops-common';
import { mlopsApiRef } from '../../api';
import { usePolling, type Polled } from './usePolling';

/** The backend serves status from its watch cache, so a short interval is cheap. */
export const STATUS_REFRESH_MS = 10_000;

/** The entity's live status from mlops-backend, refreshed every {@link STATUS_REFRESH_MS}. */
export function useMlopsStatus(): Polled<MlopsEntityStatusResponse> {
  const { entity } = useEntity();
  const api = useApi(mlopsApiRef);
  const ref = stringifyEntityRef(entity);
  return usePolling(
    () => api.getStatus(getCompoundEntityRef(entity)),
    STATUS_REFRESH_MS,
    [api, ref],
  );
}
