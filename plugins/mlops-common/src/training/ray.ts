import type { PodTemplateSpec } from '../render/k8s';
import type { RayCluster, RayClusterSpec, RayJob } from './types';
import {
  CHECKPOINT_DIR,
  CODE_DIR,
  DATA_DIR,
  baseEnv,
  datasetInitContainers,
  gpuScheduling,
  kubernetesIdLabels,
  podSecurityContext,
  resourcesFor,
  runImage,
  trainingContainer,
  trainingVolumeMounts,
  trainingVolumes,
} from './pod';
import {
  parseRayTrainingSpec,
  type RayTrainingSpec,
  type RayTrainingSpecInput,
} from './spec';

/** Name of the single GPU worker group. */
export const RAY_WORKER_GROUP = 'gpu-workers';

function rayPod(
  spec: RayTrainingSpec,
  role: 'head' | 'worker',
): PodTemplateSpec {
  const gpus = role === 'worker' ? spec.gpusPerWorker : 0;
  return {
    metadata: { labels: kubernetesIdLabels(spec.name) },
    spec: {
      ...gpuScheduling(spec, gpus),
      // Only workers read the dataset; the head runs the driver, not the training loop.
      initContainers:
        role === 'worker' ? datasetInitContainers(spec) : undefined,
      containers: [
        trainingContainer({
          name: role === 'head' ? 'ray-head' : 'ray-worker',
          image: runImage(spec),
          env: baseEnv(spec),
          resources:
            role === 'head'
              ? resourcesFor(spec.headCpu, spec.headMemory, 0)
              : resourcesFor(spec.cpu, spec.memory, gpus),
          volumeMounts: trainingVolumeMounts(spec),
        }),
      ],
      volumes: trainingVolumes(spec),
      securityContext: podSecurityContext(),
    },
  };
}

function rayClusterSpec(spec: RayTrainingSpec): RayClusterSpec {
  return {
    rayVersion: spec.rayVersion,
    enableInTreeAutoscaling: spec.autoscaling,
    autoscalerOptions: spec.autoscaling
      ? {
          idleTimeoutSeconds: spec.idleTimeoutSeconds,
          upscalingMode: 'Default',
        }
      : undefined,
    headGroupSpec: {
      // No training tasks on the head: it holds the GCS and the driver.
      rayStartParams: { 'dashboard-host': '0.0.0.0', 'num-cpus': '0' },
      template: rayPod(spec, 'head'),
    },
    workerGroupSpecs: [
      {
        groupName: RAY_WORKER_GROUP,
        replicas: spec.workers,
        minReplicas: spec.minWorkers,
        maxReplicas: spec.maxWorkers,
        idleTimeoutSeconds: spec.autoscaling
          ? spec.idleTimeoutSeconds
          : undefined,
        rayStartParams: {},
        template: rayPod(spec, 'worker'),
      },
    ],
  };
}

/** The driver command of the RayJob: Ray Train with one training worker per GPU. */
export function rayEntrypoint(spec: RayTrainingSpec): string {
  const trainWorkers =
    spec.gpusPerWorker > 0
      ? Math.max(1, spec.workers) * spec.gpusPerWorker
      : Math.max(1, spec.workers);
  return [
    'python',
    `${CODE_DIR}/train_ray.py`,
    `--num-workers=${trainWorkers}`,
    `--use-gpu=${spec.gpusPerWorker > 0 ? 'true' : 'false'}`,
    `--epochs=${spec.epochs}`,
    `--batch-size=${spec.batchSize}`,
    `--data-dir=${DATA_DIR}`,
    `--checkpoint-dir=${CHECKPOINT_DIR}`,
  ].join(' ');
}

/**
 * Renders a KubeRay RayCluster: a head without training resources and one GPU worker group,
 * with KubeRay's in-tree autoscaler when asked (then `workerGroupSpecs` belongs to the
 * autoscaler at run time, see DESIGN.md on atomic lists).
 * @public
 */
export function renderRayCluster(input: RayTrainingSpecInput): RayCluster {
  const spec = parseRayTrainingSpec(input);
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    spec: rayClusterSpec(spec),
  };
}

/**
 * Renders a KubeRay RayJob that creates its own cluster, runs the Ray Train driver and, by
 * default, deletes the cluster when the job finishes.
 * @public
 */
export function renderRayJob(input: RayTrainingSpecInput): RayJob {
  const spec = parseRayTrainingSpec(input);
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    spec: {
      entrypoint: rayEntrypoint(spec),
      submissionMode: 'K8sJobMode',
      shutdownAfterJobFinishes: spec.shutdownAfterJobFinishes,
      ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished,
      backoffLimit: spec.backoffLimit,
      rayClusterSpec: rayClusterSpec(spec),
    },
  };
}
