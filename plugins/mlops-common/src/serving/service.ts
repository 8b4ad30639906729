import { LABEL_MLOPS_ENTITY } from '../annotations';
import { kubernetesIdLabels } from '../training/pod';
import type { ServingSpec } from './spec';
import { TRITON_PORTS } from './triton';
import type { PodMonitor, Service, ServiceMonitor } from './types';
import { VLLM_PORT } from './vllm';

function isTriton(spec: ServingSpec): boolean {
  return spec.engine !== 'vllm';
}

/** Port name and path Prometheus scrapes. */
export function metricsEndpoint(spec: ServingSpec): {
  port: string;
  path: string;
} {
  return { port: isTriton(spec) ? 'metrics' : 'http', path: '/metrics' };
}

/** The ClusterIP Service in front of the replicas (API and metrics). @public */
export function renderServingService(spec: ServingSpec): Service {
  const labels = kubernetesIdLabels(spec.name);
  const port = (name: string, number: number) => ({
    name,
    port: number,
    targetPort: name,
    protocol: 'TCP' as const,
  });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: isTriton(spec)
        ? [
            port('http', TRITON_PORTS.http),
            port('grpc', TRITON_PORTS.grpc),
            port('metrics', TRITON_PORTS.metrics),
          ]
        : [port('http', VLLM_PORT)],
    },
  };
}

/**
 * A PodMonitor or ServiceMonitor for clusters that run the Prometheus Operator; the pods also
 * carry prometheus.io/* annotations for annotation-based scraping. Each series gets the pod's
 * `mlops/entity` label (set by the reconciler) as `mlops_entity`, which is what the backend's
 * metrics route selects an entity's series by.
 * @public
 */
export function renderServingMonitor(
  spec: ServingSpec,
): PodMonitor | ServiceMonitor | undefined {
  const endpoint = { ...metricsEndpoint(spec), interval: '15s' };
  const metadata = {
    name: spec.name,
    namespace: spec.namespace,
    labels: kubernetesIdLabels(spec.name),
  };
  const selector = { matchLabels: kubernetesIdLabels(spec.name) };
  const podTargetLabels = [LABEL_MLOPS_ENTITY];
  if (spec.monitor === 'podmonitor') {
    return {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata,
      spec: { selector, podTargetLabels, podMetricsEndpoints: [endpoint] },
    };
  }
  if (spec.monitor === 'servicemonitor') {
    return {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata,
      spec: { selector, podTargetLabels, endpoints: [endpoint] },
    };
  }
  return undefined;
}
