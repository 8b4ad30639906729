// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- test only: the sandbox API server
import { rawRequest, useControlPlane } from '@mlops-plugins/sandbox';
import { parse } from 'yaml';
import { MLOPS_FIELD_MANAGER } from '../annotations';
import {
  parseTrainingRepoSpec,
  renderTrainingRepo,
  type TrainingRepoSpecInput,
} from '.';
import { randomTrainingSpec, seededRandom } from './testSpecs';

const RANDOM_SPECS = 150;

const PLURALS: Record<string, string> = {
  'kubeflow.org/v1/PyTorchJob':
    '/apis/kubeflow.org/v1/namespaces/{ns}/pytorchjobs',
  'trainer.kubeflow.org/v1alpha1/TrainJob':
    '/apis/trainer.kubeflow.org/v1alpha1/namespaces/{ns}/trainjobs',
  'ray.io/v1/RayJob': '/apis/ray.io/v1/namespaces/{ns}/rayjobs',
  'ray.io/v1/RayCluster': '/apis/ray.io/v1/namespaces/{ns}/rayclusters',
  'v1/ConfigMap': '/api/v1/namespaces/{ns}/configmaps',
};

const fixed: TrainingRepoSpecInput[] = [
  {
    framework: 'pytorch',
    name: 'ring-8x8',
    owner: 'ml-platform-team',
    nodes: 8,
    gpusPerNode: 8,
    datasetUri: 's3://datasets/imagenet/',
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
    nccl: { ib: false, socketIfname: 'eth0' },
  },
  {
    framework: 'pytorch',
    name: 'elastic',
    owner: 'ml-platform-team',
    nodes: 4,
    elastic: { minNodes: 2, maxNodes: 8 },
    image: 'registry.example.com/ml/train:v1',
  },
  {
    framework: 'pytorch',
    name: 'trainer-v2',
    owner: 'ml-platform-team',
    operator: 'trainjob',
    nodes: 8,
    gpusPerNode: 8,
    datasetUri: 's3://datasets/imagenet/',
    modelUri: 'hf://meta-llama/Llama-3.2-1B',
    checkpointClaim: 'ckpt',
  },
  {
    framework: 'pytorch',
    name: 'cpu-only',
    owner: 'ml-platform-team',
    nodes: 1,
    gpusPerNode: 0,
  },
  {
    framework: 'ray',
    name: 'rayjob-auto',
    owner: 'ml-platform-team',
    workers: 4,
    gpusPerWorker: 8,
    autoscaling: true,
    minWorkers: 1,
    maxWorkers: 16,
    datasetUri: 's3://datasets/cifar10/',
  },
  {
    framework: 'ray',
    name: 'raycluster-fixed',
    owner: 'ml-platform-team',
    mode: 'raycluster',
    workers: 2,
    gpusPerWorker: 1,
  },
  {
    framework: 'ray',
    name: 'ray-head-only',
    owner: 'ml-platform-team',
    mode: 'raycluster',
    workers: 0,
    gpusPerWorker: 0,
  },
];

describe('rendered workloads against the real CRD schemas (server-side apply, dryRun=All)', () => {
  const controlPlane = useControlPlane();

  it(`accepts every object of ${fixed.length} fixed and ${RANDOM_SPECS} random specs`, async () => {
    const { adminKubeConfig } = controlPlane();
    const random = seededRandom(424242);
    const specs = [
      ...fixed,
      ...Array.from({ length: RANDOM_SPECS }, () => randomTrainingSpec(random)),
    ];
    const namespaces = new Set(
      specs.map(s => parseTrainingRepoSpec(s).namespace),
    );
    for (const ns of namespaces) {
      const res = await rawRequest(
        adminKubeConfig,
        'POST',
        '/api/v1/namespaces',
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: ns },
        },
      );
      expect([201, 409]).toContain(res.status);
    }

    const rejections: string[] = [];
    const warnings: string[] = [];
    const applied: Record<string, number> = {};
    for (const spec of specs) {
      for (const file of renderTrainingRepo(spec).filter(f =>
        f.path.startsWith('deploy/'),
      )) {
        const object = parse(file.content);
        const key = `${object.apiVersion}/${object.kind}`;
        const base = PLURALS[key].replace('{ns}', object.metadata.namespace);
        // Strict field validation: an unknown field is an error, not a silently pruned warning.
        const query = `?dryRun=All&fieldManager=${MLOPS_FIELD_MANAGER}&fieldValidation=Strict`;
        const res = await rawRequest(
          adminKubeConfig,
          'PATCH',
          `${base}/${object.metadata.name}${query}`,
          object,
          'application/apply-patch+yaml',
        );
        if (res.status !== 200 && res.status !== 201) {
          rejections.push(
            `${key} ${object.metadata.name}: HTTP ${res.status} ${
              res.body?.message ?? JSON.stringify(res.body)
            }`,
          );
        } else {
          applied[object.kind] = (applied[object.kind] ?? 0) + 1;
          if (res.body?.metadata?.name !== object.metadata.name) {
            warnings.push(
              `${key} ${object.metadata.name}: unexpected response`,
            );
          }
        }
      }
    }
    expect(rejections).toEqual([]);
    expect(warnings).toEqual([]);
    expect(Object.keys(applied).sort()).toEqual([
      'ConfigMap',
      'PyTorchJob',
      'RayCluster',
      'RayJob',
      'TrainJob',
    ]);
    // eslint-disable-next-line no-console
    console.log(`server-side dry-run accepted: ${JSON.stringify(applied)}`);
  }, 300_000);
});
