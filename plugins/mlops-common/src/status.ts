import type { MlopsReconcileStatus } from './types';

/** Our verdict on one live object; generic tools call these kinds healthy once they exist. @public */
export type MlopsHealth =
  | 'healthy'
  | 'progressing'
  | 'degraded'
  | 'failed'
  | 'suspended'
  | 'unknown';

/** A Kubernetes-style condition as the operators report it. @public */
export interface MlopsCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** One live object of the entity, from the watch cache. @public */
export interface MlopsObjectStatus {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  health: MlopsHealth;
  /** Why this health, in a few words (e.g. "2/3 replicas available"). */
  reason?: string;
}

/** Training job status: PyTorchJob, TrainJob or RayJob. @public */
export interface MlopsTrainingStatus {
  kind: 'PyTorchJob' | 'TrainJob' | 'RayJob';
  name: string;
  /** PyTorchJob/TrainJob: the last condition's type; RayJob: jobStatus or jobDeploymentStatus. */
  phase: string;
  health: MlopsHealth;
  conditions: MlopsCondition[];
  /** Per replica type (Master, Worker, …): active / succeeded / failed pods. */
  replicas: Record<
    string,
    { active: number; succeeded: number; failed: number }
  >;
  startTime?: string;
  completionTime?: string;
  /** Seconds from start to completion, or to now while running. */
  durationSeconds?: number;
  /** Times the job entered Restarting (PyTorchJob) or failed attempts (RayJob). */
  restarts: number;
  cleanPodPolicy?: string;
}

/** Model server status: Deployment or StatefulSet replicas. @public */
export interface MlopsServingStatus {
  kind: string;
  name: string;
  desiredReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  health: MlopsHealth;
  engine?: 'vllm' | 'triton' | 'unknown';
}

/** KEDA ScaledObject status with its spec's limits and triggers. @public */
export interface MlopsAutoscalingStatus {
  name: string;
  health: MlopsHealth;
  minReplicas?: number;
  maxReplicas?: number;
  cooldownSeconds?: number;
  pollingIntervalSeconds?: number;
  hpaName?: string;
  paused: boolean;
  lastActiveTime?: string;
  /** From the HPA that KEDA manages (`hpaName`), when the cache has it. */
  currentReplicas?: number;
  desiredReplicas?: number;
  lastScaleTime?: string;
  conditions: MlopsCondition[];
  triggers: Array<{
    name?: string;
    type: string;
    metricName?: string;
    query?: string;
    threshold?: string;
    health?: string;
    /** The HPA's current value of this trigger's metric (per replica for AverageValue targets). */
    currentValue?: string;
  }>;
}

/** `GET /api/mlops/v1/entities/:kind/:namespace/:name/status`. @public */
export interface MlopsEntityStatusResponse {
  entityRef: string;
  reconcile: MlopsReconcileStatus | null;
  /** False while the cluster's watches have not listed yet or are down. */
  cacheReady: boolean;
  objects: MlopsObjectStatus[];
  training?: MlopsTrainingStatus;
  serving?: MlopsServingStatus;
  autoscaling?: MlopsAutoscalingStatus;
}

/** Names of the series the metrics endpoint returns. @public */
export type MlopsMetricName =
  | 'generationTokensPerSecond'
  | 'promptTokensPerSecond'
  | 'requestsRunning'
  | 'requestsWaiting'
  | 'kvCacheUsage'
  | 'ttftP50Seconds'
  | 'ttftP95Seconds'
  | 'interTokenLatencyP50Seconds'
  | 'interTokenLatencyP95Seconds'
  | 'preemptionsPerSecond'
  | 'inferencesPerSecond'
  | 'queueTimeSeconds'
  | 'batchSize'
  | 'pendingRequests'
  | 'gpuUtilizationPercent'
  | 'gpuMemoryUsedBytes';

/** `GET /api/mlops/v1/entities/:kind/:namespace/:name/metrics?range=15m&step=30s`. @public */
export interface MlopsMetricsResponse {
  entityRef: string;
  engine: 'vllm' | 'triton';
  rangeSeconds: number;
  stepSeconds: number;
  /** False when Prometheus could not be asked (not configured, down); `reason` says why. */
  available: boolean;
  reason?: string;
  /** Each series as [unix seconds, value] points; absent when Prometheus has no data for it. */
  series: Partial<Record<MlopsMetricName, Array<[number, number]>>>;
  /** The last point of each series. */
  latest: Partial<Record<MlopsMetricName, number>>;
  /**
   * The KV cache the running vLLM servers allocated (`vllm:cache_config_info`), the smallest
   * over the replicas; absent when no server exports it.
   */
  kvCache?: MlopsKvCacheConfig;
}

/** One vLLM server's KV cache from its `vllm:cache_config_info` labels. @public */
export interface MlopsKvCacheConfig {
  numGpuBlocks: number;
  blockSize: number;
  /** numGpuBlocks × blockSize. */
  tokens: number;
}
