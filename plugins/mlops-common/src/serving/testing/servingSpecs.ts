import { GPU_PRESETS } from '../../planner/gpuPresets';
import { MODEL_PRESETS } from '../../planner/modelPresets';
import type { ServingSpecInput } from '../spec';

/**
 * A random serving spec over every switch of the renderers. It may not fit in GPU memory;
 * callers keep the ones the planner accepts. Shared by the property test and the cluster
 * dry-run test.
 */
export function randomServingSpec(random: () => number): ServingSpecInput {
  const int = (min: number, max: number) =>
    min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const maybe = <T>(value: T): T | undefined =>
    random() < 0.5 ? value : undefined;
  const engine = pick([
    'vllm',
    'vllm',
    'triton-vllm',
    'triton-tensorrt-llm',
  ] as const);
  const model = pick(MODEL_PRESETS);
  const gpu = pick(GPU_PRESETS);
  const s3 = engine === 'triton-tensorrt-llm' || random() < 0.6;
  const loadFormat =
    engine === 'vllm' && s3 && random() < 0.3 ? 'runai_streamer' : 'cache';
  const scaleToZero = random() < 0.2;
  const prometheusAuth = pick(['none', 'none', 'bearer', 'basic'] as const);
  const minReplicas = scaleToZero ? 0 : int(1, 3);
  return {
    name: `srv-${int(0, 99999)}${pick([
      '',
      '-llm',
      '-x'.repeat(int(1, 14)),
    ])}`.slice(0, 40),
    namespace: pick(['ml-serving', 'team-a', undefined]),
    owner: pick(['group:default/ml-platform-team', 'user:default/guest']),
    system: maybe('ml-platform'),
    cluster: maybe('sandbox'),
    description: maybe(pick(['Chat assistant', 'Modèle (8 x H100), v2'])),
    engine,
    model: model.id,
    modelUri: s3
      ? pick([`s3://models/${model.id}`, 's3://weights.lake/llm/v3/'])
      : maybe(`hf://${model.huggingFaceId}`),
    modelRevision: pick(['main', 'v3', '2f1a9c0']),
    servedModelName: maybe(pick(['chat', 'org/model-v1'])),
    loadFormat,
    s3: {
      endpoint: maybe('http://minio.storage.svc:9000'),
      region: maybe('eu-west-1'),
      credentialsSecret: maybe('model-store-credentials'),
    },
    cache: {
      accessMode: pick(['ReadWriteMany', 'ReadWriteOnce'] as const),
      storageClassName: maybe(pick(['standard', 'cephfs.rwx'])),
      size: maybe('500Gi'),
    },
    huggingFaceTokenSecret: maybe('hf-token'),
    gpu: gpu.id,
    gpuProduct: maybe('NVIDIA-H100-80GB-HBM3'),
    tolerateGpuTaint: random() < 0.8,
    tensorParallelSize: gpu.mig ? 1 : pick([1, 1, 2, 4, 8]),
    gpuMemoryUtilization: pick([0.85, 0.9, 0.92, 0.95]),
    maxModelLen: pick([2048, 4096, 8192, 16384]),
    maxNumBatchedTokens: pick([8192, 16384]),
    maxNumSeqs: maybe(int(1, 512)),
    typicalRequestTokens: maybe(int(256, 4096)),
    kvCacheDtype: pick(['auto', 'fp8'] as const),
    quantization:
      model.weightDtype === 'bfloat16'
        ? pick(['none', 'none', 'fp8'] as const)
        : 'none',
    enablePrefixCaching: random() < 0.8,
    image: maybe('registry.example.com/ml/vllm:v0.11.0-patched'),
    cpu: maybe(pick(['8', '15500m'])),
    memory: maybe(pick(['64Gi', '256Gi'])),
    sharedMemory: pick(['8Gi', '32Gi']),
    autoscaling: {
      minReplicas,
      maxReplicas: int(Math.max(1, minReplicas), 16),
      scaleToZero,
      queueDepthPerReplica: int(1, 50),
      gpuUtilizationPercent: int(50, 95),
      pollingIntervalSeconds: pick([10, 15, 30]),
      cooldownPeriodSeconds: pick([300, 360, 900]),
      fallbackReplicas: maybe(int(1, 4)),
      prometheusUrl: maybe('http://prometheus.monitoring.svc:9090'),
      prometheusAuth,
      prometheusAuthSecret:
        prometheusAuth === 'none' ? undefined : 'prometheus-credentials',
    },
    monitor: pick(['none', 'podmonitor', 'servicemonitor'] as const),
    maxQueueDelayMicroseconds: maybe(int(0, 5000)),
  };
}
