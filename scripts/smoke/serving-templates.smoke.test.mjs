// Runs both serving templates through the real scaffolder of the real backend: dry-runs that
// check the produced files and the GPU memory plan, a configuration that cannot fit refused
// with the planner's reason before anything is rendered, hostile inputs refused with the field
// named, and one real task with local publish that ends with the entity in the catalog.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import yaml from 'yaml';
import { startBackend } from './backendProcess.mjs';
import {
  backstageClient,
  eventually,
  filesOf,
  readTemplate,
} from './backstageClient.mjs';
import { expectedPlan, templateDefaults } from '../e2e/expectedPlan.mjs';

let backend;
let token;
let publishRoot;

const { api, dryRun } = backstageClient(() => ({
  baseUrl: backend?.baseUrl,
  token,
}));

async function runTask(templateRef, values) {
  const { status, body } = await api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({ templateRef, values }),
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
  const events = await api(`/api/scaffolder/v2/tasks/${body.id}/events`);
  return { task, log: JSON.stringify(events.body) };
}

const vllmValues = {
  name: 'smoke-llama',
  owner: 'group:default/ml-platform-team',
  namespace: 'ml-serving',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  tensorParallelSize: 1,
  maxModelLen: 8192,
  gpuMemoryUtilization: 0.9,
  modelUri: 's3://models/llama-3.1-8b-instruct',
  s3Endpoint: 'http://minio.storage.svc:9000',
  minReplicas: 1,
  maxReplicas: 4,
  publishTarget: 'local',
};

const tooBig = { ...vllmValues, model: 'llama-3-70b-instruct', gpu: 'l4' };

describe('serving templates in the real scaffolder', () => {
  before(async () => {
    publishRoot = await fs.mkdtemp(
      path.join(os.tmpdir(), 'mlops-smoke-serving-'),
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

  it('shows both serving templates on the Create page', async () => {
    await eventually('templates in the catalog', async () => {
      const { body } = await api(
        '/api/catalog/entities/by-query?filter=kind=template',
      );
      const names = body.items.map(e => e.metadata.name);
      assert.ok(names.includes('vllm-model-server'), names.join(','));
      assert.ok(names.includes('triton-model-server'), names.join(','));
    });
  });

  it('dry-runs the vLLM template into a planned repo', async () => {
    const { status, body } = await dryRun('vllm-model-server', vllmValues);
    assert.equal(status, 200, JSON.stringify(body).slice(0, 2000));
    const files = filesOf(body);
    assert.deepEqual(Object.keys(files).sort(), [
      'README.md',
      'catalog-info.yaml',
      'deploy/deployment.yaml',
      'deploy/model-cache-pvc.yaml',
      'deploy/scaledobject.yaml',
      'deploy/service.yaml',
      'plan.json',
    ]);
    const deployment = yaml.parse(files['deploy/deployment.yaml']);
    const args = deployment.spec.template.spec.containers[0].args;
    // What the planner itself says for these values (the form's defaults under them).
    const expected = expectedPlan({
      ...templateDefaults(await readTemplate('vllm-model-server')),
      ...vllmValues,
    });
    assert.equal(expected.verdict, 'fits');
    assert.ok(
      args.includes(`--max-num-seqs=${expected.maxNumSeqs}`),
      args.join(' '),
    );
    assert.ok(args.includes('--gpu-memory-utilization=0.9'));
    assert.equal(deployment.spec.replicas, undefined);
    const plan = JSON.parse(files['plan.json']);
    assert.equal(plan.kvBytesPerTokenPerGpu, 131072);
    assert.equal(plan.kvCacheTokens, expected.lowTokens);
    const scaled = yaml.parse(files['deploy/scaledobject.yaml']);
    assert.deepEqual(
      scaled.spec.triggers.map(t => t.name),
      ['queue-depth', 'gpu-utilization'],
    );
    const entity = yaml.parse(files['catalog-info.yaml']);
    assert.equal(entity.spec.type, 'model-server');
    // The plan is shown to the user with the result.
    assert.match(
      JSON.stringify(body.output),
      new RegExp(
        `KV-cache tokens per replica[^|]*\\| ${expected.lowTokens.toLocaleString(
          'en-US',
        )}`,
      ),
    );
  });

  it('refuses a configuration that cannot fit, with the reason and the nearest fit, before rendering', async () => {
    const { status, body } = await dryRun('vllm-model-server', tooBig);
    const text = JSON.stringify(body);
    assert.ok(status >= 400 || /error/i.test(text), text.slice(0, 1000));
    assert.match(text, /llama-3-70b-instruct does not fit on l4 as configured/);
    assert.match(text, /the weights need 131\.42 GiB per GPU/);
    assert.match(
      text,
      /Nearest configuration that fits: --tensor-parallel-size/,
    );
    assert.equal(Object.keys(filesOf(body)).length, 0);
  });

  it('dry-runs the Triton template with TensorRT-LLM into a model repository', async () => {
    const { status, body } = await dryRun('triton-model-server', {
      ...vllmValues,
      name: 'smoke-trt',
      engine: 'triton-tensorrt-llm',
      tensorParallelSize: 2,
      modelUri: 's3://engines/llama-3.1-8b-tp2',
    });
    assert.equal(status, 200, JSON.stringify(body).slice(0, 2000));
    const files = filesOf(body);
    const config = files['model_repository/tensorrt_llm/config.pbtxt'];
    assert.match(config, /^backend: "tensorrtllm"$/m);
    assert.match(config, /string_value: "inflight_fused_batching"/);
    assert.ok(files['deploy/model-repository.yaml']);
  });

  const hostile = [
    ['a name with ../', { name: '../../etc' }, /name/],
    ['an unknown model', { model: 'gpt-5' }, /model/],
    ['a negative GPU count', { tensorParallelSize: -1 }, /tensorParallelSize/],
    [
      'utilisation above 1',
      { gpuMemoryUtilization: 3 },
      /gpuMemoryUtilization/,
    ],
    ['shell in the model URI', { modelUri: 's3://m/$(id)' }, /modelUri/],
    [
      'YAML in the description',
      { description: 'x\nkind: Secret' },
      /description/,
    ],
  ];
  for (const [what, patch, reason] of hostile) {
    it(`refuses ${what} and produces no files`, async () => {
      const { status, body } = await dryRun('vllm-model-server', {
        ...vllmValues,
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

  it('fails a real task for a configuration that cannot fit at its first step', async () => {
    const { task, log } = await runTask('template:default/vllm-model-server', {
      ...tooBig,
      name: `smoke-too-big-${process.pid}`,
    });
    assert.equal(task.status, 'failed');
    assert.match(log, /does not fit on l4 as configured/);
    assert.match(log, /Nearest configuration that fits/);
  });

  it('runs a real task with local publish and registers the model-server entity', async () => {
    const name = `smoke-llama-${process.pid}`;
    const { task, log } = await runTask('template:default/vllm-model-server', {
      ...vllmValues,
      name,
    });
    if (task.status !== 'completed') assert.fail(log.slice(-3000));
    const repo = path.join(publishRoot, name);
    const commit = execFileSync('git', ['log', '--format=%s'], {
      cwd: repo,
      encoding: 'utf8',
    });
    assert.match(commit, /Initial commit from Backstage/);
    const plan = JSON.parse(
      await fs.readFile(path.join(repo, 'plan.json'), 'utf8'),
    );
    const expected = expectedPlan({
      ...templateDefaults(await readTemplate('vllm-model-server')),
      ...vllmValues,
    });
    assert.equal(String(plan.maxNumSeqs), expected.maxNumSeqs);
    const entity = await eventually('the entity in the catalog', async () => {
      const res = await api(
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      assert.equal(res.status, 200);
      return res.body;
    });
    assert.equal(entity.metadata.annotations['mlops/workload'], 'serving');
    assert.equal(entity.metadata.annotations['mlops/manifests'], './deploy');
    assert.equal(entity.spec.type, 'model-server');
  });
});
