import { z, type ZodTypeAny } from 'zod';
import {
  boundedInt,
  dnsLabel,
  entityRef,
  imageReference,
  labelValue,
  modelUri,
  parseWith,
  plainText,
  quantity,
  s3Uri,
} from '../render/validation';

/** Forms send "" for an empty optional field; treat it as absent. */
function optional<T extends ZodTypeAny>(schema: T) {
  return z.preprocess(
    v => (v === '' || v === null ? undefined : v),
    schema.optional(),
  );
}

/** Longest workload name: pods and services append suffixes such as `-worker-127` or `-head-svc`. @public */
export const MAX_WORKLOAD_NAME_LENGTH = 40;

/** Default PyTorch CUDA base image of the Dockerfile and of jobs run without a custom image. @public */
export const DEFAULT_PYTORCH_BASE_IMAGE =
  'pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime';
/** Default Ray base image (GPU build matching {@link DEFAULT_RAY_VERSION}). @public */
export const DEFAULT_RAY_VERSION = '2.49.0';
/** @public */
export const DEFAULT_RAY_BASE_IMAGE = `rayproject/ray:${DEFAULT_RAY_VERSION}-py312-gpu`;

const NCCL_SOCKET_IFNAME = /^\^?=?[A-Za-z0-9][A-Za-z0-9._,-]{0,30}$/;

const commonFields = {
  name: dnsLabel(MAX_WORKLOAD_NAME_LENGTH),
  namespace: dnsLabel(63).default('ml-training'),
  owner: entityRef(),
  system: optional(dnsLabel(63)),
  /** Cluster name from `mlops.clusters` (annotation `mlops/cluster`); optional with one cluster. */
  cluster: optional(dnsLabel(63)),
  description: plainText(200).default(''),
  /** The training image built from the repo's Dockerfile; absent: base image + code from a ConfigMap. */
  image: optional(imageReference()),
  baseImage: optional(imageReference()),
  datasetUri: optional(s3Uri()),
  cpu: quantity().default('8'),
  memory: quantity().default('64Gi'),
  sharedMemory: quantity().default('16Gi'),
  /** Value of the node label `nvidia.com/gpu.product` to schedule on, e.g. NVIDIA-H100-80GB-HBM3. */
  gpuProduct: optional(labelValue()),
  /** Tolerate the `nvidia.com/gpu` NoSchedule taint that GPU node pools usually carry. */
  tolerateGpuTaint: z.boolean().default(true),
  /** An existing PersistentVolumeClaim for checkpoints; absent: an emptyDir (lost with the pod). */
  checkpointClaim: optional(dnsLabel(63)),
  epochs: boundedInt(1, 100_000).default(10),
  batchSize: boundedInt(1, 65_536).default(64),
};

const ncclSchema = z
  .object({
    debug: z.enum(['VERSION', 'WARN', 'INFO', 'TRACE']).default('WARN'),
    /** InfiniBand / RoCE on; off sets NCCL_IB_DISABLE=1 (sockets only). */
    ib: z.boolean().default(true),
    socketIfname: optional(
      z.string().refine(
        v => NCCL_SOCKET_IFNAME.test(v),
        v => ({
          message: `must be a network interface list for NCCL_SOCKET_IFNAME such as "eth0", "^lo,docker" or "=eth1" (got ${JSON.stringify(
            v,
          )})`,
        }),
      ),
    ),
  })
  .strict()
  .default({});

const elasticSchema = z
  .object({
    minNodes: boundedInt(1, 256),
    maxNodes: boundedInt(1, 256),
    maxRestarts: boundedInt(0, 100).default(3),
  })
  .strict();

/**
 * Input of the PyTorch training renderers (PyTorchJob and TrainJob).
 * @public
 */
export const pytorchTrainingSpecSchema = z
  .object({
    ...commonFields,
    /** Kubeflow training-operator v1 (PyTorchJob) or Kubeflow Trainer v2 (TrainJob). */
    operator: z.enum(['pytorchjob', 'trainjob']).default('pytorchjob'),
    nodes: boundedInt(1, 256).default(2),
    gpusPerNode: boundedInt(0, 16).default(1),
    /** torchrun processes per node; default one per GPU (or 1 without GPUs). */
    procsPerNode: optional(boundedInt(1, 64)),
    nccl: ncclSchema,
    cleanPodPolicy: z.enum(['Running', 'All', 'None']).default('Running'),
    ttlSecondsAfterFinished: boundedInt(0, 30 * 86_400).default(86_400),
    backoffLimit: boundedInt(0, 100).default(3),
    elastic: optional(elasticSchema),
    runtime: z
      .object({
        name: dnsLabel(63).default('torch-distributed'),
        kind: z
          .enum(['ClusterTrainingRuntime', 'TrainingRuntime'])
          .default('ClusterTrainingRuntime'),
      })
      .strict()
      .default({}),
    /** Model to pre-load with Trainer v2's model initializer. */
    modelUri: optional(modelUri()),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const { elastic } = spec;
    if (elastic) {
      if (spec.operator === 'trainjob') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['elastic'],
          message:
            'elastic training is only rendered for operator "pytorchjob" (Trainer v2 TrainJobs have no elastic policy); remove it or choose "pytorchjob"',
        });
      } else if (
        !(elastic.minNodes <= spec.nodes && spec.nodes <= elastic.maxNodes)
      ) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['elastic'],
          message: `needs minNodes <= nodes <= maxNodes (got ${elastic.minNodes} <= ${spec.nodes} <= ${elastic.maxNodes})`,
        });
      }
    }
    if (spec.modelUri && spec.operator !== 'trainjob') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['modelUri'],
        message:
          'a model initializer is only rendered for operator "trainjob"; remove it or choose "trainjob"',
      });
    }
  })
  .transform(spec => ({
    ...spec,
    baseImage: spec.baseImage ?? DEFAULT_PYTORCH_BASE_IMAGE,
    procsPerNode: spec.procsPerNode ?? Math.max(1, spec.gpusPerNode),
  }));

/** What a caller passes to the PyTorch renderers (defaults allowed to be missing). @public */
export type PyTorchTrainingSpecInput = z.input<
  typeof pytorchTrainingSpecSchema
>;
/** A validated PyTorch training spec with every default filled in. @public */
export type PyTorchTrainingSpec = z.output<typeof pytorchTrainingSpecSchema>;

/**
 * Input of the Ray renderers (RayJob and RayCluster).
 * @public
 */
export const rayTrainingSpecSchema = z
  .object({
    ...commonFields,
    mode: z.enum(['rayjob', 'raycluster']).default('rayjob'),
    rayVersion: z
      .string()
      .regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/, {
        message: 'must be a Ray version such as "2.49.0"',
      })
      .default(DEFAULT_RAY_VERSION),
    /** GPU worker pods at start. */
    workers: boundedInt(0, 256).default(2),
    minWorkers: optional(boundedInt(0, 256)),
    maxWorkers: optional(boundedInt(1, 256)),
    gpusPerWorker: boundedInt(0, 16).default(1),
    /** KubeRay's in-tree autoscaler scales workers between minWorkers and maxWorkers. */
    autoscaling: z.boolean().default(false),
    idleTimeoutSeconds: boundedInt(10, 86_400).default(60),
    headCpu: quantity().default('4'),
    headMemory: quantity().default('16Gi'),
    shutdownAfterJobFinishes: z.boolean().default(true),
    ttlSecondsAfterFinished: boundedInt(0, 30 * 86_400).default(3600),
    backoffLimit: boundedInt(0, 100).default(0),
  })
  .strict()
  .transform(spec => ({
    ...spec,
    baseImage: spec.baseImage ?? DEFAULT_RAY_BASE_IMAGE,
    minWorkers: spec.minWorkers ?? (spec.autoscaling ? 0 : spec.workers),
    maxWorkers: spec.maxWorkers ?? Math.max(1, spec.workers),
  }))
  .superRefine((spec, ctx) => {
    if (!(spec.minWorkers <= spec.workers && spec.workers <= spec.maxWorkers)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['workers'],
        message: `needs minWorkers <= workers <= maxWorkers (got ${spec.minWorkers} <= ${spec.workers} <= ${spec.maxWorkers})`,
      });
    }
  });

/** @public */
export type RayTrainingSpecInput = z.input<typeof rayTrainingSpecSchema>;
/** @public */
export type RayTrainingSpec = z.output<typeof rayTrainingSpecSchema>;

/** Validates a PyTorch training spec; throws SpecValidationError naming every bad field. @public */
export function parsePyTorchTrainingSpec(input: unknown): PyTorchTrainingSpec {
  return parseWith(pytorchTrainingSpecSchema, 'PyTorch training spec', input);
}

/** Validates a Ray training spec; throws SpecValidationError naming every bad field. @public */
export function parseRayTrainingSpec(input: unknown): RayTrainingSpec {
  return parseWith(rayTrainingSpecSchema, 'Ray training spec', input);
}
