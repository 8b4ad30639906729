import type { Toleration } from '../render/k8s';
import {
  kubernetesIdLabels,
  podSecurityContext,
  restrictedSecurityContext,
} from '../training/pod';
import {
  MODEL_ROOT,
  modelCacheInitContainers,
  modelCacheVolume,
} from './modelCache';
import type { ServingPlan } from './plan';
import type { ServingSpec } from './spec';
import type {
  Deployment,
  HttpProbe,
  ServingContainer,
  ServingVolume,
} from './types';

/** GPUs one replica requests: TP whole GPUs, or one MIG slice. */
export function gpusPerReplica(spec: ServingSpec, plan: ServingPlan): number {
  return plan.gpu.mig ? 1 : spec.tensorParallelSize;
}

export function gpuResources(
  spec: ServingSpec,
  plan: ServingPlan,
): { requests: Record<string, string>; limits: Record<string, string> } {
  const gpu = { [plan.gpu.resourceName]: String(gpusPerReplica(spec, plan)) };
  // No CPU limit: throttling the tokenizer and API server adds latency to every request.
  return {
    requests: { cpu: plan.cpuRequest, memory: plan.memoryRequest, ...gpu },
    limits: { memory: plan.memoryRequest, ...gpu },
  };
}

function scheduling(
  spec: ServingSpec,
  plan: ServingPlan,
): { nodeSelector: Record<string, string>; tolerations?: Toleration[] } {
  return {
    // The plan holds only on the GPU it was made for: pin the product.
    nodeSelector: {
      'nvidia.com/gpu.product': spec.gpuProduct ?? plan.gpu.productLabel,
    },
    tolerations: spec.tolerateGpuTaint
      ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]
      : undefined,
  };
}

export function probe(
  path: string,
  port: string,
  periodSeconds: number,
  failureThreshold: number,
  timeoutSeconds = 5,
): HttpProbe {
  return {
    httpGet: { path, port },
    periodSeconds,
    timeoutSeconds,
    failureThreshold,
  };
}

/** A startup probe that allows the plan's weight-loading budget before liveness takes over. */
export function startupProbe(
  path: string,
  port: string,
  plan: ServingPlan,
): HttpProbe {
  return probe(path, port, 10, Math.ceil(plan.startupSeconds / 10));
}

/** Deployment shell shared by vLLM and Triton: no replicas (KEDA owns them), GPU scheduling, cache. */
export function servingDeployment(
  spec: ServingSpec,
  plan: ServingPlan,
  container: ServingContainer,
  options: { metricsPort: number; extraVolumes?: ServingVolume[] },
): Deployment {
  const labels = kubernetesIdLabels(spec.name);
  const initContainers = modelCacheInitContainers(spec);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      selector: { matchLabels: labels },
      // A new replica needs its own GPUs: surge one, never drop below the serving count.
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      },
      template: {
        metadata: {
          labels,
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(options.metricsPort),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          ...scheduling(spec, plan),
          initContainers:
            initContainers.length > 0 ? initContainers : undefined,
          containers: [
            {
              ...container,
              volumeMounts: [
                { name: 'dshm', mountPath: '/dev/shm' },
                { name: 'model-cache', mountPath: MODEL_ROOT },
                ...(container.volumeMounts ?? []),
              ],
              securityContext: restrictedSecurityContext(),
            },
          ],
          volumes: [
            // NCCL and the engine's worker processes share tensors through /dev/shm (64Mi by default).
            {
              name: 'dshm',
              emptyDir: { medium: 'Memory', sizeLimit: spec.sharedMemory },
            },
            modelCacheVolume(spec),
            ...(options.extraVolumes ?? []),
          ],
          securityContext: podSecurityContext(),
          // In-flight generations finish instead of being cut off on scale-down.
          terminationGracePeriodSeconds: 120,
        },
      },
    },
  };
}
