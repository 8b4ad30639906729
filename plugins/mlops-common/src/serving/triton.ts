import { kubernetesIdLabels } from '../training/pod';
import { cachedModelDir, modelLocation } from './modelCache';
import { PbBlocks, PbEnum, toPbtxt, type PbMessage } from './pbtxt';
import { gpuResources, probe, servingDeployment, startupProbe } from './pod';
import type { ServingPlan } from './plan';
import {
  DEFAULT_TRITON_TRTLLM_IMAGE,
  DEFAULT_TRITON_VLLM_IMAGE,
  type ServingSpec,
} from './spec';
import { vllmEnv } from './vllm';
import type { Deployment, ModelRepositoryConfigMap } from './types';

/** Triton's ports: HTTP/REST (also health), gRPC, Prometheus metrics. @public */
export const TRITON_PORTS = { http: 8000, grpc: 8001, metrics: 8002 } as const;
/** Where the model repository is mounted in the Triton container. @public */
export const MODEL_REPOSITORY_DIR = '/model-repository';

/** Name of the Triton model (its directory in the model repository). @public */
export function tritonModelName(spec: ServingSpec): string {
  return spec.engine === 'triton-tensorrt-llm' ? 'tensorrt_llm' : spec.name;
}

/** @public */
export function modelRepositoryConfigMapName(name: string): string {
  return `${name}-model-repository`;
}

function parameter(key: string, value: string): PbMessage {
  return { key, value: { string_value: value } };
}

/**
 * The vLLM backend's engine arguments (`1/model.json`): the same planned numbers as the
 * `vllm serve` flags.
 * @public
 */
export function renderTritonVllmModelJson(
  spec: ServingSpec,
  plan: ServingPlan,
): Record<string, unknown> {
  return {
    model: modelLocation(spec),
    served_model_name: spec.servedModelName,
    tensor_parallel_size: spec.tensorParallelSize,
    gpu_memory_utilization: spec.gpuMemoryUtilization,
    max_model_len: spec.maxModelLen,
    max_num_seqs: plan.maxNumSeqs,
    max_num_batched_tokens: spec.maxNumBatchedTokens,
    kv_cache_dtype: spec.kvCacheDtype,
    block_size: 16,
    dtype: plan.model.dtype,
    enable_prefix_caching: spec.enablePrefixCaching,
    quantization: spec.quantization === 'fp8' ? 'fp8' : undefined,
    disable_log_stats: false,
  };
}

/** config.pbtxt of the vLLM backend: the engine batches, Triton forwards vllm:* metrics. @public */
export function renderTritonVllmConfig(spec: ServingSpec): PbMessage {
  return {
    name: tritonModelName(spec),
    backend: 'vllm',
    // Batching is vLLM's continuous batching inside the engine, not Triton's.
    max_batch_size: 0,
    model_transaction_policy: { decoupled: true },
    // KIND_MODEL: the engine places itself on the GPUs it was given.
    instance_group: [{ count: 1, kind: new PbEnum('KIND_MODEL') }],
    parameters: new PbBlocks([parameter('REPORT_CUSTOM_METRICS', 'true')]),
  };
}

/** Fraction of the memory left after the weights that TensorRT-LLM may give its KV cache. */
export function kvCacheFreeGpuMemFraction(plan: ServingPlan): number {
  const g = plan.memory.perGpu;
  const free = g.totalBytes - g.weightBytes - g.nonTorchBytes;
  return Math.max(
    0.05,
    Math.min(0.95, Math.floor((g.kvCacheBytes / free) * 100) / 100),
  );
}

function tensor(
  name: string,
  dataType: string,
  dims: number[],
  extra: PbMessage = {},
): PbMessage {
  return { name, data_type: new PbEnum(dataType), dims, ...extra };
}

/**
 * config.pbtxt of TensorRT-LLM's `tensorrtllm` backend with in-flight batching, after the
 * upstream inflight_batcher_llm/tensorrt_llm template: dynamic batching up to the planned
 * batch, a KV cache sized from the plan, and the engine directory from the model cache.
 * @public
 */
export function renderTritonTrtllmConfig(
  spec: ServingSpec,
  plan: ServingPlan,
): PbMessage {
  const optional = { optional: true };
  const scalarShape = { reshape: { shape: [] } };
  return {
    name: tritonModelName(spec),
    backend: 'tensorrtllm',
    max_batch_size: plan.maxNumSeqs,
    model_transaction_policy: { decoupled: true },
    dynamic_batching: {
      preferred_batch_size: [plan.maxNumSeqs],
      max_queue_delay_microseconds: spec.maxQueueDelayMicroseconds,
    },
    input: [
      tensor('input_ids', 'TYPE_INT32', [-1], { allow_ragged_batch: true }),
      tensor('input_lengths', 'TYPE_INT32', [1], scalarShape),
      tensor('request_output_len', 'TYPE_INT32', [1]),
      tensor('end_id', 'TYPE_INT32', [1], { ...scalarShape, ...optional }),
      tensor('pad_id', 'TYPE_INT32', [1], { ...scalarShape, ...optional }),
      tensor('temperature', 'TYPE_FP32', [1], { ...scalarShape, ...optional }),
      tensor('streaming', 'TYPE_BOOL', [1], optional),
    ],
    output: [
      tensor('output_ids', 'TYPE_INT32', [-1, -1]),
      tensor('sequence_length', 'TYPE_INT32', [-1]),
    ],
    // The backend drives its GPUs itself (orchestrator mode); the instance runs on the CPU, as upstream.
    instance_group: [{ count: 1, kind: new PbEnum('KIND_CPU') }],
    parameters: new PbBlocks([
      parameter('max_beam_width', '1'),
      parameter('gpt_model_type', 'inflight_fused_batching'),
      parameter('gpt_model_path', `${cachedModelDir(spec)}/engine`),
      parameter('batch_scheduler_policy', 'guaranteed_no_evict'),
      parameter(
        'kv_cache_free_gpu_mem_fraction',
        String(kvCacheFreeGpuMemFraction(plan)),
      ),
      parameter(
        'max_tokens_in_paged_kv_cache',
        String(plan.memory.kvCacheTokens),
      ),
      parameter('enable_kv_cache_reuse', String(spec.enablePrefixCaching)),
      parameter('enable_chunked_context', 'true'),
      parameter('exclude_input_in_output', 'true'),
      parameter(
        'executor_worker_path',
        '/opt/tritonserver/backends/tensorrtllm/trtllmExecutorWorker',
      ),
    ]),
  };
}

/** The files of the Triton model repository, by path inside it. @public */
export function renderModelRepositoryFiles(
  spec: ServingSpec,
  plan: ServingPlan,
): Array<{ path: string; key: string; content: string }> {
  const model = tritonModelName(spec);
  const header = [
    `Generated by Backstage MLOps for ${spec.name}; re-run the template to change it.`,
  ];
  if (spec.engine === 'triton-vllm') {
    return [
      {
        path: `${model}/config.pbtxt`,
        key: 'config.pbtxt',
        content: toPbtxt(renderTritonVllmConfig(spec), header),
      },
      {
        path: `${model}/1/model.json`,
        key: 'model.json',
        content: `${JSON.stringify(
          renderTritonVllmModelJson(spec, plan),
          null,
          2,
        )}\n`,
      },
    ];
  }
  return [
    {
      path: `${model}/config.pbtxt`,
      key: 'config.pbtxt',
      content: toPbtxt(renderTritonTrtllmConfig(spec, plan), header),
    },
    {
      // Triton loads a model only with a version directory; the engine itself is in the cache.
      path: `${model}/1/ENGINE`,
      key: 'ENGINE',
      content: `${cachedModelDir(spec)}/engine\n`,
    },
  ];
}

/** The model repository as a ConfigMap mounted with items, so the directory layout is kept. @public */
export function renderModelRepositoryConfigMap(
  spec: ServingSpec,
  plan: ServingPlan,
): ModelRepositoryConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: modelRepositoryConfigMapName(spec.name),
      namespace: spec.namespace,
      labels: kubernetesIdLabels(spec.name),
    },
    data: Object.fromEntries(
      renderModelRepositoryFiles(spec, plan).map(f => [f.key, f.content]),
    ),
  };
}

/**
 * Renders the Triton Deployment (vLLM or TensorRT-LLM backend): tritonserver on the mounted
 * model repository, /v2/health probes, metrics on 8002 with GPU metrics, the model cache.
 * @public
 */
export function renderTritonDeployment(
  spec: ServingSpec,
  plan: ServingPlan,
): Deployment {
  const files = renderModelRepositoryFiles(spec, plan);
  return servingDeployment(
    spec,
    plan,
    {
      name: 'triton',
      image:
        spec.image ??
        (spec.engine === 'triton-vllm'
          ? DEFAULT_TRITON_VLLM_IMAGE
          : DEFAULT_TRITON_TRTLLM_IMAGE),
      command: ['tritonserver'],
      args: [
        `--model-repository=${MODEL_REPOSITORY_DIR}`,
        `--http-port=${TRITON_PORTS.http}`,
        `--grpc-port=${TRITON_PORTS.grpc}`,
        `--metrics-port=${TRITON_PORTS.metrics}`,
        '--allow-metrics=true',
        '--allow-gpu-metrics=true',
        '--strict-readiness=true',
        '--exit-on-error=true',
      ],
      env: vllmEnv({ ...spec, loadFormat: 'cache' }),
      ports: [
        { name: 'http', containerPort: TRITON_PORTS.http, protocol: 'TCP' },
        { name: 'grpc', containerPort: TRITON_PORTS.grpc, protocol: 'TCP' },
        {
          name: 'metrics',
          containerPort: TRITON_PORTS.metrics,
          protocol: 'TCP',
        },
      ],
      resources: gpuResources(spec, plan),
      startupProbe: startupProbe('/v2/health/ready', 'http', plan),
      readinessProbe: probe('/v2/health/ready', 'http', 5, 3, 3),
      livenessProbe: probe('/v2/health/live', 'http', 15, 4),
      volumeMounts: [
        {
          name: 'model-repository',
          mountPath: MODEL_REPOSITORY_DIR,
          readOnly: true,
        },
      ],
    },
    {
      metricsPort: TRITON_PORTS.metrics,
      extraVolumes: [
        {
          name: 'model-repository',
          configMap: {
            name: modelRepositoryConfigMapName(spec.name),
            items: files.map(f => ({ key: f.key, path: f.path })),
          },
        },
      ],
    },
  );
}
