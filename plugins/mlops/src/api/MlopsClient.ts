import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  MlopsEntityStatusResponse,
  MlopsMetricsResponse,
  MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { MlopsApi, MlopsMetricsRange } from './MlopsApi';

/** {@link MlopsApi} over `discoveryApi` + `fetchApi` (which adds the user's token). @public */
export class MlopsClient implements MlopsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getStatus(entity: CompoundEntityRef): Promise<MlopsEntityStatusResponse> {
    return this.request(entity, 'status');
  }

  getMetrics(
    entity: CompoundEntityRef,
    { range, step }: MlopsMetricsRange,
  ): Promise<MlopsMetricsResponse> {
    const query = new URLSearchParams({ range, step });
    return this.request(entity, `metrics?${query}`);
  }

  sync(
    entity: CompoundEntityRef,
    options: { confirmPrune?: boolean } = {},
  ): Promise<MlopsReconcileStatus> {
    return this.request(entity, 'sync', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(options),
    });
  }

  private async request<T>(
    entity: CompoundEntityRef,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('mlops');
    const ref = [entity.kind, entity.namespace, entity.name]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    const response = await this.fetchApi.fetch(
      `${base}/v1/entities/${ref}/${path}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
