import { parse } from 'yaml';
import { toYaml } from '../render/yaml';
import { SpecValidationError } from '../render/validation';
import {
  renderCatalogInfo,
  renderPyTorchJob,
  renderRayCluster,
  renderRayJob,
  renderTrainingRepo,
  renderTrainJob,
} from '.';

const ring = {
  name: 'resnet50-ddp',
  namespace: 'ml-training',
  owner: 'group:default/ml-platform-team',
  system: 'ml-platform',
  nodes: 8,
  gpusPerNode: 8,
  image: 'registry.example.com/ml/resnet50-ddp:v1',
  datasetUri: 's3://datasets/imagenet/',
  gpuProduct: 'NVIDIA-H100-80GB-HBM3',
  nccl: { debug: 'INFO' as const, ib: false, socketIfname: 'eth0' },
};

const rayInput = {
  name: 'llm-finetune',
  owner: 'group:default/ml-platform-team',
  workers: 4,
  gpusPerWorker: 8,
  autoscaling: true,
  minWorkers: 1,
  maxWorkers: 8,
};

describe('renderPyTorchJob', () => {
  const job = renderPyTorchJob(ring);

  it('renders an 8-node DDP ring as Master + 7 Workers', () => {
    expect(job.apiVersion).toBe('kubeflow.org/v1');
    expect(job.spec.pytorchReplicaSpecs.Master?.replicas).toBe(1);
    expect(job.spec.pytorchReplicaSpecs.Worker?.replicas).toBe(7);
    expect(job.spec.nprocPerNode).toBe('8');
    expect(job.spec.runPolicy).toEqual({
      cleanPodPolicy: 'Running',
      ttlSecondsAfterFinished: 86400,
      backoffLimit: 3,
    });
    expect(job.spec.elasticPolicy).toBeUndefined();
  });

  it('names the container pytorch, asks for GPUs and mounts /dev/shm in memory', () => {
    const pod = job.spec.pytorchReplicaSpecs.Worker!.template;
    const [container] = pod.spec.containers;
    expect(container.name).toBe('pytorch');
    expect(container.resources?.limits?.['nvidia.com/gpu']).toBe('8');
    expect(container.resources?.requests?.['nvidia.com/gpu']).toBe('8');
    expect(container.volumeMounts).toContainEqual({
      name: 'dshm',
      mountPath: '/dev/shm',
    });
    expect(pod.spec.volumes).toContainEqual({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: '16Gi' },
    });
    expect(pod.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
    expect(pod.spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'NCCL_DEBUG', value: 'INFO' },
        { name: 'NCCL_IB_DISABLE', value: '1' },
        { name: 'NCCL_SOCKET_IFNAME', value: 'eth0' },
      ]),
    );
    expect(pod.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'resnet50-ddp',
    });
    expect(job.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'resnet50-ddp',
    });
  });

  it('renders CPU-only jobs without GPU resources or GPU scheduling', () => {
    const pod = renderPyTorchJob({ ...ring, gpusPerNode: 0 }).spec
      .pytorchReplicaSpecs.Master!.template;
    expect(pod.spec.containers[0].resources?.limits).toEqual({
      memory: '64Gi',
    });
    expect(pod.spec.nodeSelector).toBeUndefined();
    expect(pod.spec.tolerations).toBeUndefined();
  });

  it('renders an elastic ring as Workers only with c10d rendezvous', () => {
    const elastic = renderPyTorchJob({
      ...ring,
      elastic: { minNodes: 4, maxNodes: 16 },
    });
    expect(elastic.spec.elasticPolicy).toEqual({
      minReplicas: 4,
      maxReplicas: 16,
      maxRestarts: 3,
      rdzvBackend: 'c10d',
    });
    expect(elastic.spec.pytorchReplicaSpecs.Master).toBeUndefined();
    expect(elastic.spec.pytorchReplicaSpecs.Worker?.replicas).toBe(8);
  });

  it('matches its snapshot', () => {
    expect(toYaml(job)).toMatchSnapshot();
  });
});

describe('renderTrainJob', () => {
  const job = renderTrainJob({
    ...ring,
    operator: 'trainjob',
    modelUri: 'hf://meta-llama/Llama-3.2-1B',
  });

  it('references the torch-distributed ClusterTrainingRuntime with the node shape', () => {
    expect(job.apiVersion).toBe('trainer.kubeflow.org/v1alpha1');
    expect(job.spec.runtimeRef).toEqual({
      apiGroup: 'trainer.kubeflow.org',
      kind: 'ClusterTrainingRuntime',
      name: 'torch-distributed',
    });
    expect(job.spec.trainer.numNodes).toBe(8);
    expect(job.spec.trainer.numProcPerNode).toBe(8);
    expect(job.spec.trainer.resourcesPerNode.limits?.['nvidia.com/gpu']).toBe(
      '8',
    );
    expect(job.spec.initializer).toEqual({
      dataset: { storageUri: 's3://datasets/imagenet/' },
      model: { storageUri: 'hf://meta-llama/Llama-3.2-1B' },
    });
  });

  it('patches /dev/shm, GPU scheduling and the label into the runtime node pods', () => {
    const patched =
      job.spec.runtimePatches[0].trainingRuntimeSpec.template.spec
        .replicatedJobs[0];
    expect(patched.name).toBe('node');
    const pod = patched.template.spec.template;
    expect(pod.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'resnet50-ddp',
    });
    expect(pod.spec.volumes).toContainEqual({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: '16Gi' },
    });
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({
      name: 'dshm',
      mountPath: '/dev/shm',
    });
  });

  it('matches its snapshot', () => {
    expect(toYaml(job)).toMatchSnapshot();
  });
});

describe('Ray renderers', () => {
  it('renders a RayJob that owns its cluster and shuts it down', () => {
    const job = renderRayJob(rayInput);
    expect(job.spec.shutdownAfterJobFinishes).toBe(true);
    expect(job.spec.entrypoint).toBe(
      'python /app/train_ray.py --num-workers=32 --use-gpu=true --epochs=10 --batch-size=64 --data-dir=/data --checkpoint-dir=/checkpoints',
    );
    const cluster = job.spec.rayClusterSpec;
    expect(cluster.enableInTreeAutoscaling).toBe(true);
    expect(cluster.workerGroupSpecs[0]).toMatchObject({
      groupName: 'gpu-workers',
      replicas: 4,
      minReplicas: 1,
      maxReplicas: 8,
    });
    expect(cluster.headGroupSpec.rayStartParams['num-cpus']).toBe('0');
    expect(toYaml(job)).toMatchSnapshot();
  });

  it('renders a fixed-size RayCluster without the autoscaler', () => {
    const cluster = renderRayCluster({
      ...rayInput,
      autoscaling: false,
      minWorkers: undefined,
      maxWorkers: undefined,
    });
    expect(cluster.kind).toBe('RayCluster');
    expect(cluster.spec.enableInTreeAutoscaling).toBe(false);
    expect(cluster.spec.autoscalerOptions).toBeUndefined();
    expect(cluster.spec.workerGroupSpecs[0]).toMatchObject({
      replicas: 4,
      minReplicas: 4,
      maxReplicas: 4,
    });
    const worker = cluster.spec.workerGroupSpecs[0].template;
    expect(
      worker.spec.containers[0].resources?.limits?.['nvidia.com/gpu'],
    ).toBe('8');
    expect(worker.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'llm-finetune',
    );
    expect(toYaml(cluster)).toMatchSnapshot();
  });
});

describe('renderCatalogInfo', () => {
  it('renders a training-job Component with our annotations', () => {
    const entity = renderCatalogInfo({
      framework: 'pytorch',
      ...ring,
      cluster: 'sandbox',
    });
    expect(entity.spec).toEqual({
      type: 'training-job',
      lifecycle: 'experimental',
      owner: 'group:default/ml-platform-team',
      system: 'ml-platform',
    });
    expect(entity.metadata.annotations).toEqual({
      'mlops/manifests': './deploy',
      'mlops/namespace': 'ml-training',
      'mlops/workload': 'training',
      'mlops/cluster': 'sandbox',
      'backstage.io/kubernetes-id': 'resnet50-ddp',
      'backstage.io/kubernetes-namespace': 'ml-training',
    });
  });
});

describe('renderTrainingRepo', () => {
  it('lists the files of a PyTorch repo and of a Ray repo', () => {
    expect(
      renderTrainingRepo({ framework: 'pytorch', ...ring }).map(f => f.path),
    ).toEqual([
      '.dockerignore',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'deploy/pytorchjob.yaml',
      'requirements.txt',
      'train.py',
    ]);
    expect(
      renderTrainingRepo({
        framework: 'ray',
        ...rayInput,
        image: undefined,
      }).map(f => f.path),
    ).toEqual([
      '.dockerignore',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'deploy/code.yaml',
      'deploy/rayjob.yaml',
      'requirements.txt',
      'train_ray.py',
    ]);
  });

  it('mounts the training script from a ConfigMap when no image is given', () => {
    const files = renderTrainingRepo({
      framework: 'pytorch',
      ...ring,
      image: undefined,
    });
    const code = parse(files.find(f => f.path === 'deploy/code.yaml')!.content);
    const train = files.find(f => f.path === 'train.py')!.content;
    expect(code.data['train.py']).toBe(train);
    expect(train).toContain('os.environ["LOCAL_RANK"]');
    expect(train).toContain('DistributedDataParallel');
  });

  it('writes a Dockerfile on the chosen base image that runs as non-root', () => {
    const files = renderTrainingRepo({
      framework: 'pytorch',
      ...ring,
      baseImage: 'nvcr.io/nvidia/pytorch:25.01-py3',
    });
    const dockerfile = files.find(f => f.path === 'Dockerfile')!.content;
    expect(dockerfile).toContain(
      'ARG BASE_IMAGE=nvcr.io/nvidia/pytorch:25.01-py3',
    );
    expect(dockerfile).toMatch(/^USER 1000$/m);
  });

  it('gives byte-identical files for the same input', () => {
    const a = renderTrainingRepo({ framework: 'pytorch', ...ring });
    const b = renderTrainingRepo({
      framework: 'pytorch',
      ...JSON.parse(JSON.stringify(ring)),
    });
    expect(a).toEqual(b);
  });

  it('matches its snapshot (every file but the static scripts)', () => {
    const files = renderTrainingRepo({
      framework: 'pytorch',
      ...ring,
      operator: 'trainjob',
    });
    for (const file of files.filter(f => !f.path.endsWith('.py'))) {
      expect(file.content).toMatchSnapshot(file.path);
    }
  });

  it('refuses an unknown framework', () => {
    expect(() => renderTrainingRepo({ framework: 'jax' } as any)).toThrow(
      'framework: must be one of "pytorch", "ray" (got "jax")',
    );
  });

  it('throws SpecValidationError for invalid input', () => {
    expect(() => renderPyTorchJob({ ...ring, nodes: 0 })).toThrow(
      SpecValidationError,
    );
  });
});
