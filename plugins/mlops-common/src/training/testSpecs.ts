import type { TrainingRepoSpecInput } from './repoSpec';

/** Deterministic PRNG (mulberry32) so property-style tests are reproducible from their seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random valid training repo spec covering every switch of the renderers. Shared by the
 * property tests and the cluster dry-run integration test.
 */
export function randomTrainingSpec(
  random: () => number,
): TrainingRepoSpecInput {
  const int = (min: number, max: number) =>
    min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const maybe = <T>(value: T): T | undefined =>
    random() < 0.5 ? value : undefined;
  const name = `job-${int(0, 999999)}${pick([
    '',
    '-ddp',
    '-x'.repeat(int(1, 15)),
  ])}`.slice(0, 40);
  const common = {
    name,
    namespace: pick(['ml-training', 'team-a', undefined]),
    owner: pick([
      'group:default/ml-platform-team',
      'user:default/guest',
      'ml-platform-team',
    ]),
    system: maybe('ml-platform'),
    cluster: maybe('sandbox'),
    description: maybe(
      pick([
        'ResNet-50 on ImageNet',
        'Fine-tune (8 x H100), v2',
        'Modèle de test',
      ]),
    ),
    image: maybe(
      pick(['registry.example.com/ml/train:v1', 'ghcr.io/org/train:latest']),
    ),
    baseImage: maybe('pytorch/pytorch:2.7.1-cuda12.6-cudnn9-runtime'),
    datasetUri: maybe(
      pick(['s3://datasets/imagenet/', 's3://data.lake/cifar10/train']),
    ),
    cpu: pick(['4', '500m', '16', '2.5']),
    memory: pick(['16Gi', '128Gi', '512Mi']),
    sharedMemory: pick(['1Gi', '32Gi']),
    gpuProduct: maybe(pick(['NVIDIA-H100-80GB-HBM3', 'NVIDIA-A100-SXM4-40GB'])),
    tolerateGpuTaint: random() < 0.7,
    checkpointClaim: maybe('checkpoints'),
    epochs: int(1, 500),
    batchSize: int(1, 4096),
  };
  if (random() < 0.5) {
    const operator = pick(['pytorchjob', 'trainjob'] as const);
    const nodes = int(1, 64);
    const elastic =
      operator === 'pytorchjob' && random() < 0.3
        ? {
            minNodes: int(1, nodes),
            maxNodes: int(nodes, 128),
            maxRestarts: int(0, 10),
          }
        : undefined;
    return {
      framework: 'pytorch',
      ...common,
      operator,
      nodes,
      gpusPerNode: int(0, 8),
      procsPerNode: maybe(int(1, 8)),
      nccl: {
        debug: pick(['WARN', 'INFO', 'TRACE', 'VERSION'] as const),
        ib: random() < 0.5,
        socketIfname: maybe(pick(['eth0', '^lo,docker', '=eth1'])),
      },
      cleanPodPolicy: pick(['Running', 'All', 'None'] as const),
      ttlSecondsAfterFinished: int(0, 86400 * 7),
      backoffLimit: int(0, 10),
      elastic,
      runtime: {
        name: pick(['torch-distributed', 'torch-cuda-251']),
        kind: pick(['ClusterTrainingRuntime', 'TrainingRuntime'] as const),
      },
      modelUri:
        operator === 'trainjob'
          ? maybe('hf://meta-llama/Llama-3.2-1B')
          : undefined,
    };
  }
  const autoscaling = random() < 0.5;
  const workers = int(0, 32);
  return {
    framework: 'ray',
    ...common,
    mode: pick(['rayjob', 'raycluster'] as const),
    workers,
    minWorkers: autoscaling ? int(0, workers) : undefined,
    maxWorkers: autoscaling ? int(Math.max(1, workers), 64) : undefined,
    gpusPerWorker: int(0, 8),
    autoscaling,
    idleTimeoutSeconds: int(10, 600),
    headCpu: pick(['2', '4']),
    headMemory: pick(['8Gi', '16Gi']),
    shutdownAfterJobFinishes: random() < 0.8,
    ttlSecondsAfterFinished: int(0, 86400),
    backoffLimit: int(0, 3),
  };
}
