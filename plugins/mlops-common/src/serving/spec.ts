import { z, type ZodTypeAny } from 'zod';
import { GPU_PRESET_IDS, findGpuPreset } from '../planner/gpuPresets';
import { MODEL_PRESET_IDS, findModelPreset } from '../planner/modelPresets';
import { VLLM_IMAGE } from '../planner/vllmRelease';
import {
  boundedInt,
  describeValue,
  dnsLabel,
  entityRef,
  imageReference,
  labelValue,
  modelUri,
  parseWith,
  plainText,
  quantity,
} from '../render/validation';

/** Forms send "" for an empty optional field; treat it as absent. */
function optional<T extends ZodTypeAny>(schema: T) {
  return z.preprocess(
    v => (v === '' || v === null ? undefined : v),
    schema.optional(),
  );
}

/** Longest server name: pods append `-<hash>-<id>`, KEDA names its HPA `keda-hpa-<name>`. */
export const MAX_SERVER_NAME_LENGTH = 40;

/** The serving engines a repo can be rendered for. @public */
export const SERVING_ENGINES = [
  'vllm',
  'triton-vllm',
  'triton-tensorrt-llm',
] as const;
/** @public */
export type ServingEngine = (typeof SERVING_ENGINES)[number];

/** vLLM's OpenAI-compatible server image: the release the GPU memory plan follows. @public */
export const DEFAULT_VLLM_IMAGE = VLLM_IMAGE;
/** Triton with the vLLM backend. @public */
export const DEFAULT_TRITON_VLLM_IMAGE =
  'nvcr.io/nvidia/tritonserver:25.09-vllm-python-py3';
/** Triton with the TensorRT-LLM backend. @public */
export const DEFAULT_TRITON_TRTLLM_IMAGE =
  'nvcr.io/nvidia/tritonserver:25.09-trtllm-python-py3';
/** In-cluster Prometheus of kube-prometheus-stack (the operator's governing Service). @public */
export const DEFAULT_PROMETHEUS_URL =
  'http://prometheus-operated.monitoring.svc:9090';

const SERVED_MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
// http(s)://host[:port] with an optional path: what an S3-compatible endpoint (MinIO, Ceph RGW) looks like.
const ENDPOINT =
  /^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._~-]*)*$/;
const HTTP_URL =
  /^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._~-]*)*$/;
const STORAGE_CLASS = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function matching(re: RegExp, what: string, max: number) {
  return z.string().refine(
    v => v.length <= max && re.test(v),
    v => ({ message: `must be ${what} (got ${describeValue(v)})` }),
  );
}

/** A number in (min, max], also from a numeric string. */
function fraction(min: number, max: number) {
  return z.preprocess(
    v =>
      typeof v === 'string' && /^\d*\.?\d+$/.test(v.trim()) ? Number(v) : v,
    z.unknown().superRefine((v, ctx) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= min || v > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a number greater than ${min} and at most ${max} (got ${describeValue(
            v,
          )})`,
        });
      }
    }),
  ) as unknown as z.ZodType<number, z.ZodTypeDef, number | string>;
}

const autoscalingSchema = z
  .object({
    minReplicas: boundedInt(0, 100).default(1),
    maxReplicas: boundedInt(1, 100).default(4),
    /** minReplicaCount 0; the server is woken by the activation threshold of the queue trigger. */
    scaleToZero: z.boolean().default(false),
    /** Waiting requests per replica before scaling out (vllm:num_requests_waiting / nv_inference_pending_request_count). */
    queueDepthPerReplica: boundedInt(1, 10_000).default(5),
    /** Average GPU utilisation (%) per replica before scaling out (DCGM_FI_DEV_GPU_UTIL). */
    gpuUtilizationPercent: boundedInt(1, 100).default(80),
    pollingIntervalSeconds: boundedInt(5, 3600).default(15),
    cooldownPeriodSeconds: boundedInt(30, 86_400).default(360),
    fallbackReplicas: optional(boundedInt(1, 100)),
    prometheusUrl: matching(
      HTTP_URL,
      'an http(s) URL of Prometheus such as "http://prometheus-operated.monitoring.svc:9090"',
      512,
    ).default(DEFAULT_PROMETHEUS_URL),
    /** How KEDA authenticates to Prometheus; the Secret is created by the user, never rendered. */
    prometheusAuth: z.enum(['none', 'bearer', 'basic']).default('none'),
    prometheusAuthSecret: optional(dnsLabel(63)),
  })
  .strict()
  .default({});

const s3Schema = z
  .object({
    /** S3-compatible endpoint for on-prem object stores (MinIO, Ceph RGW); absent: AWS S3. */
    endpoint: optional(
      matching(
        ENDPOINT,
        'an http(s) endpoint URL such as "http://minio.storage:9000"',
        512,
      ),
    ),
    region: optional(
      matching(/^[a-z0-9-]{2,32}$/, 'an S3 region such as "us-east-1"', 32),
    ),
    /** Secret with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; default `<name>-s3-credentials`. */
    credentialsSecret: optional(dnsLabel(63)),
  })
  .strict()
  .default({});

const cacheSchema = z
  .object({
    accessMode: z
      .enum(['ReadWriteMany', 'ReadWriteOnce'])
      .default('ReadWriteMany'),
    storageClassName: optional(
      matching(STORAGE_CLASS, 'a StorageClass name (DNS-1123 subdomain)', 253),
    ),
    /** Default: the model's weight bytes plus 20% and 10 GiB of headroom. */
    size: optional(quantity()),
  })
  .strict()
  .default({});

/**
 * Input of the serving renderers. Models and GPUs are chosen from the planner's presets, so
 * the numbers behind the plan are the cited ones.
 * @public
 */
export const servingSpecSchema = z
  .object({
    name: dnsLabel(MAX_SERVER_NAME_LENGTH),
    namespace: dnsLabel(63).default('ml-serving'),
    owner: entityRef(),
    system: optional(dnsLabel(63)),
    cluster: optional(dnsLabel(63)),
    description: plainText(200).default(''),
    engine: z.enum(SERVING_ENGINES).default('vllm'),
    model: z.enum(MODEL_PRESET_IDS),
    /** Where the weights are: s3://bucket/prefix (cached by s5cmd) or hf://org/model; default the preset's hf:// id. */
    modelUri: optional(modelUri()),
    modelRevision: matching(
      REVISION,
      'a model revision: letters, digits and "._-", at most 63 characters, such as "main" or a commit hash',
      63,
    ).default('main'),
    servedModelName: optional(
      matching(
        SERVED_MODEL_NAME,
        'a model name for the API: letters, digits and "._/-", at most 128 characters',
        128,
      ),
    ),
    /** cache: an init container copies the weights into a PVC; runai_streamer: vLLM streams them from S3. */
    loadFormat: z.enum(['cache', 'runai_streamer']).default('cache'),
    s3: s3Schema,
    cache: cacheSchema,
    /** Secret with HF_TOKEN for gated Hugging Face models (optional). */
    huggingFaceTokenSecret: optional(dnsLabel(63)),
    gpu: z.enum(GPU_PRESET_IDS),
    /** Overrides the node label value `nvidia.com/gpu.product` of the GPU preset. */
    gpuProduct: optional(labelValue()),
    tolerateGpuTaint: z.boolean().default(true),
    tensorParallelSize: boundedInt(1, 8).default(1),
    gpuMemoryUtilization: fraction(0.05, 1).default(0.9),
    maxModelLen: boundedInt(256, 1_048_576).default(8192),
    maxNumBatchedTokens: boundedInt(256, 1_048_576).default(8192),
    /** Default: chosen from the plan (KV-cache tokens / typical request tokens, at most 256). */
    maxNumSeqs: optional(boundedInt(1, 1024)),
    typicalRequestTokens: optional(boundedInt(16, 1_048_576)),
    kvCacheDtype: z.enum(['auto', 'fp8']).default('auto'),
    quantization: z.enum(['none', 'fp8']).default('none'),
    enablePrefixCaching: z.boolean().default(true),
    image: optional(imageReference()),
    cpu: optional(quantity()),
    memory: optional(quantity()),
    sharedMemory: quantity().default('16Gi'),
    autoscaling: autoscalingSchema,
    /** Prometheus Operator objects next to the prometheus.io/* pod annotations (always rendered). */
    monitor: z.enum(['none', 'podmonitor', 'servicemonitor']).default('none'),
    /** Triton dynamic batching: how long a request may wait for a fuller batch. */
    maxQueueDelayMicroseconds: boundedInt(0, 10_000_000).default(100),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const issue = (path: string[], message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    const gpu = findGpuPreset(spec.gpu);
    if (gpu?.mig && spec.tensorParallelSize !== 1) {
      issue(
        ['tensorParallelSize'],
        `must be 1 on a MIG slice (${spec.gpu}): a pod gets one slice, and slices cannot be joined by NCCL (got ${spec.tensorParallelSize}); choose a whole GPU for tensor parallelism`,
      );
    }
    const preset = findModelPreset(spec.model);
    if (
      spec.quantization === 'fp8' &&
      preset &&
      preset.weightDtype !== 'bfloat16'
    ) {
      issue(
        ['quantization'],
        `must be "none" for ${spec.model}: its checkpoint is already quantized (${preset.weightDtype})`,
      );
    }
    const uri = spec.modelUri ?? '';
    if (spec.loadFormat === 'runai_streamer') {
      if (spec.engine !== 'vllm') {
        issue(
          ['loadFormat'],
          'runai_streamer is a vLLM load format; use "cache" with Triton',
        );
      }
      if (!uri.startsWith('s3://')) {
        issue(
          ['loadFormat'],
          'runai_streamer streams from S3: set modelUri to s3://bucket/prefix',
        );
      }
    }
    if (spec.engine === 'triton-tensorrt-llm' && !uri.startsWith('s3://')) {
      issue(
        ['modelUri'],
        'TensorRT-LLM serves a pre-built engine: set modelUri to the s3:// prefix holding the engine directory and the tokenizer',
      );
    }
    const a = spec.autoscaling;
    if (a.minReplicas > a.maxReplicas) {
      issue(
        ['autoscaling', 'minReplicas'],
        `must be at most maxReplicas (got ${a.minReplicas} > ${a.maxReplicas})`,
      );
    }
    if (a.minReplicas === 0 && !a.scaleToZero) {
      issue(
        ['autoscaling', 'minReplicas'],
        'is 0 only with scaleToZero: true (got 0); set minReplicas to 1 or enable scale-to-zero',
      );
    }
    if (a.prometheusAuth !== 'none' && !a.prometheusAuthSecret) {
      issue(
        ['autoscaling', 'prometheusAuthSecret'],
        `is required with prometheusAuth "${a.prometheusAuth}": name the Secret holding the credentials`,
      );
    }
    if (spec.maxNumBatchedTokens < Math.min(spec.maxModelLen, 2048)) {
      issue(
        ['maxNumBatchedTokens'],
        `must be at least 2048 or maxModelLen (got ${spec.maxNumBatchedTokens})`,
      );
    }
  })
  .transform(spec => {
    const model = findModelPreset(spec.model)!;
    return {
      ...spec,
      modelUri: spec.modelUri ?? `hf://${model.huggingFaceId}`,
      servedModelName: spec.servedModelName ?? model.huggingFaceId,
      typicalRequestTokens:
        spec.typicalRequestTokens ?? Math.min(2048, spec.maxModelLen),
      autoscaling: {
        ...spec.autoscaling,
        minReplicas: spec.autoscaling.scaleToZero
          ? 0
          : spec.autoscaling.minReplicas,
      },
    };
  });

/** What a caller passes to the serving renderers (defaults may be missing). @public */
export type ServingSpecInput = z.input<typeof servingSpecSchema>;
/** A validated serving spec with every default filled in. @public */
export type ServingSpec = z.output<typeof servingSpecSchema>;

/** Validates a serving spec; throws SpecValidationError naming every bad field. @public */
export function parseServingSpec(input: unknown): ServingSpec {
  return parseWith(servingSpecSchema, 'serving spec', input);
}
