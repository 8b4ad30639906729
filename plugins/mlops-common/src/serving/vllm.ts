import { MODEL_ROOT, isS3, modelLocation, s3Env } from './modelCache';
import { gpuResources, probe, servingDeployment, startupProbe } from './pod';
import type { ServingPlan } from './plan';
import type { ServingSpec } from './spec';
import { DEFAULT_VLLM_IMAGE } from './spec';
import type { Deployment, ServingEnvVar } from './types';

/** Port of vLLM's OpenAI-compatible API, /health and /metrics. @public */
export const VLLM_PORT = 8000;

/** The `vllm serve` arguments: the form's choices and the plan's numbers, nothing implicit. @public */
export function vllmServeArgs(spec: ServingSpec, plan: ServingPlan): string[] {
  const args = [
    modelLocation(spec),
    `--served-model-name=${spec.servedModelName}`,
    '--host=0.0.0.0',
    `--port=${VLLM_PORT}`,
    `--tensor-parallel-size=${spec.tensorParallelSize}`,
    `--max-model-len=${spec.maxModelLen}`,
    `--gpu-memory-utilization=${spec.gpuMemoryUtilization}`,
    `--max-num-seqs=${plan.maxNumSeqs}`,
    `--max-num-batched-tokens=${spec.maxNumBatchedTokens}`,
    `--kv-cache-dtype=${spec.kvCacheDtype}`,
    `--block-size=${plan.memory.blockSize}`,
    `--dtype=${plan.model.dtype}`,
    spec.enablePrefixCaching
      ? '--enable-prefix-caching'
      : '--no-enable-prefix-caching',
  ];
  if (spec.quantization === 'fp8') args.push('--quantization=fp8');
  if (spec.loadFormat === 'runai_streamer') {
    args.push('--load-format=runai_streamer');
  }
  if (!isS3(spec) && spec.modelRevision !== 'main') {
    args.push(`--revision=${spec.modelRevision}`);
  }
  return args;
}

/** Environment of a vLLM (or Triton vLLM backend) container. */
export function vllmEnv(spec: ServingSpec): ServingEnvVar[] {
  const env: ServingEnvVar[] = [
    // The image's user has no writable home; caches of torch.compile and Triton go here.
    { name: 'HOME', value: '/tmp' },
    { name: 'HF_HOME', value: `${MODEL_ROOT}/hf` },
    { name: 'VLLM_NO_USAGE_STATS', value: '1' },
    { name: 'DO_NOT_TRACK', value: '1' },
  ];
  if (isS3(spec) && spec.loadFormat === 'cache') {
    // The weights are on local disk; never reach out to the Hub for them.
    env.push({ name: 'HF_HUB_OFFLINE', value: '1' });
  }
  if (spec.loadFormat === 'runai_streamer') {
    env.push(...s3Env(spec).env);
    env.push({ name: 'RUNAI_STREAMER_CONCURRENCY', value: '16' });
    if (spec.s3.endpoint) {
      // MinIO and Ceph RGW serve path-style URLs.
      env.push({
        name: 'RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING',
        value: '0',
      });
    }
  }
  if (spec.huggingFaceTokenSecret) {
    env.push({
      name: 'HF_TOKEN',
      valueFrom: {
        secretKeyRef: { name: spec.huggingFaceTokenSecret, key: 'HF_TOKEN' },
      },
    });
  }
  return env;
}

/**
 * Renders the vLLM Deployment: `vllm serve` with the planned flags, /health probes with a
 * startup budget sized for weight loading, /dev/shm, the GPU request of the plan's GPU type,
 * the model cache, and prometheus.io scrape annotations. No spec.replicas: KEDA owns it.
 * @public
 */
export function renderVllmDeployment(
  spec: ServingSpec,
  plan: ServingPlan,
): Deployment {
  return servingDeployment(
    spec,
    plan,
    {
      name: 'vllm',
      image: spec.image ?? DEFAULT_VLLM_IMAGE,
      command: ['vllm', 'serve'],
      args: vllmServeArgs(spec, plan),
      env: vllmEnv(spec),
      envFrom:
        spec.loadFormat === 'runai_streamer' ? s3Env(spec).envFrom : undefined,
      ports: [{ name: 'http', containerPort: VLLM_PORT, protocol: 'TCP' }],
      resources: gpuResources(spec, plan),
      startupProbe: startupProbe('/health', 'http', plan),
      readinessProbe: probe('/health', 'http', 5, 3, 3),
      livenessProbe: probe('/health', 'http', 15, 4),
    },
    { metricsPort: VLLM_PORT },
  );
}
