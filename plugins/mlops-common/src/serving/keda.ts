import { kubernetesIdLabels } from '../training/pod';
import type { ServingPlan } from './plan';
import { gpusPerReplica } from './pod';
import type { ServingSpec } from './spec';
import type {
  PrometheusTrigger,
  ScaledObject,
  TriggerAuthentication,
} from './types';

/** @public */
export function triggerAuthenticationName(name: string): string {
  return `${name}-prometheus`;
}

/** PromQL selector of this server's pods: `<deployment>-<replicaset hash>-<pod id>`. */
export function podSelector(spec: ServingSpec): string {
  return `namespace="${spec.namespace}",pod=~"${spec.name}-[a-z0-9]+-[a-z0-9]+"`;
}

/** Requests waiting in the engine's queue, summed over replicas. @public */
export function queueDepthQuery(spec: ServingSpec): string {
  const metric =
    spec.engine === 'vllm'
      ? 'vllm:num_requests_waiting'
      : 'nv_inference_pending_request_count';
  return `sum(${metric}{${podSelector(spec)}})`;
}

/**
 * GPU utilisation summed over replicas, each replica's GPUs averaged (0–100 per replica).
 * MIG slices do not report DCGM_FI_DEV_GPU_UTIL; their graphics-engine activity does.
 * @public
 */
export function gpuUtilizationQuery(
  spec: ServingSpec,
  plan: ServingPlan,
): string {
  if (plan.gpu.mig) {
    return `sum(DCGM_FI_PROF_GR_ENGINE_ACTIVE{${podSelector(spec)}}) * 100`;
  }
  const gpus = gpusPerReplica(spec, plan);
  const sum = `sum(DCGM_FI_DEV_GPU_UTIL{${podSelector(spec)}})`;
  return gpus > 1 ? `${sum} / ${gpus}` : sum;
}

/**
 * The KEDA ScaledObject on the Deployment: one Prometheus trigger on queue depth and one on GPU
 * utilisation (AverageValue: desired replicas = ceil(sum / threshold), the larger of the two),
 * never CPU. Scales up at once and down slowly; falls back to a fixed count when Prometheus
 * cannot be read.
 * @public
 */
export function renderScaledObject(
  spec: ServingSpec,
  plan: ServingPlan,
): ScaledObject {
  const a = spec.autoscaling;
  const authenticationRef =
    a.prometheusAuth === 'none'
      ? undefined
      : { name: triggerAuthenticationName(spec.name) };
  const authModes = a.prometheusAuth === 'none' ? undefined : a.prometheusAuth;
  const trigger = (
    name: string,
    query: string,
    threshold: number,
    activationThreshold: number,
  ): PrometheusTrigger => ({
    type: 'prometheus',
    name,
    metricType: 'AverageValue',
    metadata: {
      serverAddress: a.prometheusUrl,
      query,
      threshold: String(threshold),
      activationThreshold: String(activationThreshold),
      // No series yet (no replica, no traffic) reads as 0 rather than as an error.
      ignoreNullValues: 'true',
      authModes,
    },
    authenticationRef,
  });
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: spec.name,
      },
      pollingInterval: a.pollingIntervalSeconds,
      cooldownPeriod: a.cooldownPeriodSeconds,
      // A fresh replica is loading weights: do not scale it to zero before it could serve.
      initialCooldownPeriod: plan.startupSeconds,
      minReplicaCount: a.minReplicas,
      maxReplicaCount: a.maxReplicas,
      fallback: {
        failureThreshold: 3,
        replicas: a.fallbackReplicas ?? Math.max(1, a.minReplicas),
      },
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleUp: {
              stabilizationWindowSeconds: 0,
              selectPolicy: 'Max',
              policies: [
                { type: 'Pods', value: 4, periodSeconds: 15 },
                { type: 'Percent', value: 100, periodSeconds: 15 },
              ],
            },
            scaleDown: {
              // GPU replicas are slow to come back: wait out bursts before letting one go.
              stabilizationWindowSeconds: 600,
              selectPolicy: 'Min',
              policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }],
            },
          },
        },
      },
      triggers: [
        trigger(
          'queue-depth',
          queueDepthQuery(spec),
          a.queueDepthPerReplica,
          0,
        ),
        trigger(
          'gpu-utilization',
          gpuUtilizationQuery(spec, plan),
          a.gpuUtilizationPercent,
          10,
        ),
      ],
    },
  };
}

/** The TriggerAuthentication when Prometheus needs credentials (from a Secret the user creates). @public */
export function renderTriggerAuthentication(
  spec: ServingSpec,
): TriggerAuthentication | undefined {
  const a = spec.autoscaling;
  if (a.prometheusAuth === 'none' || !a.prometheusAuthSecret) return undefined;
  const secret = a.prometheusAuthSecret;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: {
      name: triggerAuthenticationName(spec.name),
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    spec: {
      secretTargetRef:
        a.prometheusAuth === 'bearer'
          ? [{ parameter: 'bearerToken', name: secret, key: 'token' }]
          : [
              { parameter: 'username', name: secret, key: 'username' },
              { parameter: 'password', name: secret, key: 'password' },
            ],
    },
  };
}
