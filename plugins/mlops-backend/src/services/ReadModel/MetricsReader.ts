import { NotFoundError } from '@backstage/errors';
import type { MlopsMetricsResponse } from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  DEFAULT_PROMETHEUS_ENTITY_LABEL,
  type MlopsConfig,
} from '../../config';
import { metricsEngineOf } from '../Metrics/metricsEngine';
import { PrometheusMetrics } from '../Metrics/PrometheusMetrics';
import type { ClusterWatchCache } from '../StatusCache/ClusterWatchCache';
import type { Workload } from './EntityAccess';

/** Time series of a workload's serving engine and GPUs. */
export interface MetricsReader {
  read(
    workload: Workload,
    window: { rangeSeconds: number; stepSeconds: number },
  ): Promise<MlopsMetricsResponse>;
}

/**
 * Metrics from each cluster's Prometheus, one batched query per card refresh; Prometheus
 * answers are shared by all viewers of an entity for staleMs. The engine (vLLM or Triton) is
 * that of the model server in the watch cache.
 */
export class PrometheusMetricsReader implements MetricsReader {
  private readonly prometheus: Map<string, PrometheusMetrics>;

  constructor(
    private readonly clusters: MlopsConfig['clusters'],
    private readonly caches: Map<string, ClusterWatchCache>,
    options: { staleMs: number },
  ) {
    this.prometheus = new Map(
      clusters.map(c => [
        c.name,
        new PrometheusMetrics(c.prometheusUrl, { ttlMs: options.staleMs }),
      ]),
    );
  }

  async read(
    workload: Workload,
    window: { rangeSeconds: number; stepSeconds: number },
  ): Promise<MlopsMetricsResponse> {
    const { cluster, ref } = workload;
    const metrics = cluster ? this.prometheus.get(cluster) : undefined;
    if (!metrics) {
      throw new NotFoundError(`entity ${ref} has no configured cluster`);
    }
    const server = this.caches
      .get(cluster!)
      ?.objectsOf(workload.entityLabel)
      .find(o => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    return metrics.query({
      entityRef: ref,
      engine: metricsEngineOf(server),
      selector: {
        namespace: workload.namespace,
        entityLabel: {
          name:
            this.clusters.find(c => c.name === cluster)
              ?.prometheusEntityLabel ?? DEFAULT_PROMETHEUS_ENTITY_LABEL,
          value: workload.entityLabel,
        },
      },
      rangeSeconds: window.rangeSeconds,
      stepSeconds: window.stepSeconds,
    });
  }
}
