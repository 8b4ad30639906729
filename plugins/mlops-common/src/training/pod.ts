import { ANNOTATION_KUBERNETES_ID } from '../annotations';
import type {
  Container,
  EnvVar,
  ResourceRequirements,
  SecurityContext,
  Toleration,
  Volume,
  VolumeMount,
} from '../render/k8s';

/** Where the training code lives in the container (the image's WORKDIR, or the code ConfigMap). */
export const CODE_DIR = '/app';
/** Where checkpoints are written; a PVC when one is named, else an emptyDir. */
export const CHECKPOINT_DIR = '/checkpoints';
/** Where the training data is read from (filled by a dataset initializer or a volume). */
export const DATA_DIR = '/data';
/** Resource name of NVIDIA GPUs (device plugin). */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/** The UID of the non-root user of the generated Dockerfiles (and of rayproject images). */
export const TRAINING_UID = 1000;

/** Fields every training spec shares, as the pod builders read them. */
export interface PodInputs {
  name: string;
  image?: string;
  baseImage: string;
  cpu: string;
  memory: string;
  sharedMemory: string;
  gpuProduct?: string;
  tolerateGpuTaint: boolean;
  checkpointClaim?: string;
  datasetUri?: string;
}

/** The label that makes the stock Kubernetes tab find the object; on objects and pod templates. */
export function kubernetesIdLabels(name: string): Record<string, string> {
  return { [ANNOTATION_KUBERNETES_ID]: name };
}

/** Name of the ConfigMap holding the training script when no custom image is given. */
export function codeConfigMapName(name: string): string {
  return `${name}-code`;
}

/** The image to run: the repo's built image, or the stock base image with the code mounted. */
export function runImage(spec: PodInputs): string {
  return spec.image ?? spec.baseImage;
}

export function resourcesFor(
  cpu: string,
  memory: string,
  gpus: number,
): ResourceRequirements {
  const gpu: Record<string, string> =
    gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {};
  // No CPU limit: CFS throttling of dataloader workers slows training more than it protects.
  return {
    requests: { cpu, memory, ...gpu },
    limits: { memory, ...gpu },
  };
}

/** Node selector and tolerations that put GPU pods on GPU nodes; nothing for CPU-only pods. */
export function gpuScheduling(
  spec: PodInputs,
  gpus: number,
): { nodeSelector?: Record<string, string>; tolerations?: Toleration[] } {
  if (gpus === 0) {
    return {};
  }
  return {
    nodeSelector: spec.gpuProduct
      ? { 'nvidia.com/gpu.product': spec.gpuProduct }
      : undefined,
    tolerations: spec.tolerateGpuTaint
      ? [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }]
      : undefined,
  };
}

/**
 * Volumes of every training pod: /dev/shm in memory (the container default of 64Mi crashes
 * NCCL and DataLoader workers), the checkpoint volume, and the code ConfigMap when needed.
 */
export function trainingVolumes(spec: PodInputs): Volume[] {
  const volumes: Volume[] = [
    {
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: spec.sharedMemory },
    },
    spec.checkpointClaim
      ? {
          name: 'checkpoints',
          persistentVolumeClaim: { claimName: spec.checkpointClaim },
        }
      : { name: 'checkpoints', emptyDir: {} },
    { name: 'data', emptyDir: {} },
  ];
  if (!spec.image) {
    volumes.push({
      name: 'code',
      configMap: { name: codeConfigMapName(spec.name) },
    });
  }
  return volumes;
}

export function trainingVolumeMounts(spec: PodInputs): VolumeMount[] {
  const mounts: VolumeMount[] = [
    { name: 'dshm', mountPath: '/dev/shm' },
    { name: 'checkpoints', mountPath: CHECKPOINT_DIR },
    { name: 'data', mountPath: DATA_DIR },
  ];
  if (!spec.image) {
    mounts.push({ name: 'code', mountPath: CODE_DIR, readOnly: true });
  }
  return mounts;
}

/** Environment shared by every training container. */
export function baseEnv(spec: PodInputs, dataDir = DATA_DIR): EnvVar[] {
  const env: EnvVar[] = [
    { name: 'CHECKPOINT_DIR', value: CHECKPOINT_DIR },
    { name: 'DATA_DIR', value: dataDir },
    // The non-root user of a stock base image has no home directory.
    { name: 'HOME', value: '/tmp' },
  ];
  if (spec.datasetUri) {
    env.push({ name: 'DATASET_URI', value: spec.datasetUri });
  }
  return env;
}

/** Baseline Pod Security and then some: non-root, no privilege escalation, no capabilities. */
export function restrictedSecurityContext(): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    runAsUser: TRAINING_UID,
  };
}

/** Pod-level context: non-root, and group-owned volumes so a checkpoint claim is writable. */
export function podSecurityContext(): {
  runAsNonRoot: boolean;
  fsGroup: number;
} {
  return { runAsNonRoot: true, fsGroup: TRAINING_UID };
}

export function trainingContainer(
  fields: Omit<Container, 'securityContext'>,
): Container {
  return { ...fields, securityContext: restrictedSecurityContext() };
}

/** Image of the dataset fetcher: s5cmd, a parallel S3 client many times faster than aws-cli. */
export const S5CMD_IMAGE = 'peakcom/s5cmd:v2.3.0';

/** Name of the optional Secret with AWS_* credentials for the dataset fetcher (created by the user). */
export function s3CredentialsSecretName(name: string): string {
  return `${name}-s3-credentials`;
}

/** An init container that copies the dataset from S3 into DATA_DIR; none without a dataset. */
export function datasetInitContainers(
  spec: PodInputs,
): Container[] | undefined {
  if (!spec.datasetUri) {
    return undefined;
  }
  const prefix = spec.datasetUri.replace(/\/+$/, '');
  return [
    trainingContainer({
      name: 'fetch-dataset',
      image: S5CMD_IMAGE,
      args: ['cp', `${prefix}/*`, `${DATA_DIR}/`],
      envFrom: [
        {
          secretRef: {
            name: s3CredentialsSecretName(spec.name),
            optional: true,
          },
        },
      ],
      resources: resourcesFor('1', '1Gi', 0),
      volumeMounts: [{ name: 'data', mountPath: DATA_DIR }],
    }),
  ];
}
