import { parse } from 'yaml';
import { toYaml } from '../render/yaml';
import { SpecValidationError } from '../render/validation';
import { plannedKvRange } from '../planner/planRange';
import { chooseMaxNumSeqs } from '../planner/presetPlan';
import { fmt } from '../planner/units';
import { VLLM_RELEASE } from '../planner/vllmRelease';
import {
  ServingPlanError,
  parseServingSpec,
  planServing,
  renderScaledObject,
  renderServingCatalogInfo,
  renderServingRepo,
  renderTriggerAuthentication,
  renderTritonDeployment,
  renderVllmDeployment,
  vllmServeArgs,
  type ServingSpecInput,
} from '.';
import { llamaServingSpec } from './testing/llamaSpec';

const llama = llamaServingSpec;

function deploymentOf(input: ServingSpecInput) {
  const spec = parseServingSpec(input);
  return renderVllmDeployment(spec, planServing(spec));
}

describe('vLLM Deployment', () => {
  const deployment = deploymentOf(llama);
  const pod = deployment.spec.template.spec;
  const [vllm] = pod.containers;

  it('runs vllm serve with the planned flags', () => {
    expect(vllm.command).toEqual(['vllm', 'serve']);
    expect(vllm.args).toEqual([
      '/models/llama-3.1-8b-instruct--0e9e39f',
      '--served-model-name=meta-llama/Llama-3.1-8B-Instruct',
      '--host=0.0.0.0',
      '--port=8000',
      '--tensor-parallel-size=1',
      '--max-model-len=8192',
      '--gpu-memory-utilization=0.9',
      `--max-num-seqs=${planServing(parseServingSpec(llama)).maxNumSeqs}`,
      '--max-num-batched-tokens=8192',
      '--kv-cache-dtype=auto',
      '--block-size=16',
      '--dtype=bfloat16',
      '--enable-prefix-caching',
    ]);
  });

  it('has no replicas (KEDA owns them), requests the GPU and pins the product', () => {
    expect(deployment.spec.replicas).toBeUndefined();
    expect(vllm.resources?.limits?.['nvidia.com/gpu']).toBe('1');
    expect(vllm.resources?.requests?.['nvidia.com/gpu']).toBe('1');
    expect(pod.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
  });

  it('probes /health with a startup budget sized for weight loading', () => {
    expect(vllm.readinessProbe?.httpGet.path).toBe('/health');
    expect(vllm.livenessProbe?.httpGet.path).toBe('/health');
    const startup = vllm.startupProbe!;
    expect(startup.httpGet.path).toBe('/health');
    const seconds = startup.periodSeconds * startup.failureThreshold;
    expect(seconds).toBeGreaterThanOrEqual(360);
    const big = deploymentOf({
      ...llama,
      model: 'llama-3.1-70b-instruct',
      tensorParallelSize: 4,
    });
    const bigStartup = big.spec.template.spec.containers[0].startupProbe!;
    expect(
      bigStartup.periodSeconds * bigStartup.failureThreshold,
    ).toBeGreaterThan(seconds);
  });

  it('mounts /dev/shm in memory and the model cache', () => {
    expect(pod.volumes).toContainEqual({
      name: 'dshm',
      emptyDir: { medium: 'Memory', sizeLimit: '16Gi' },
    });
    expect(pod.volumes).toContainEqual({
      name: 'model-cache',
      persistentVolumeClaim: { claimName: 'llama3-8b-chat-model-cache' },
    });
    expect(vllm.volumeMounts).toContainEqual({
      name: 'dshm',
      mountPath: '/dev/shm',
    });
  });

  it('carries the scrape annotations and the kubernetes-id label', () => {
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8000',
      'prometheus.io/path': '/metrics',
    });
    expect(deployment.spec.template.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'llama3-8b-chat',
    });
  });

  it('copies the weights with s5cmd, skips on the revision marker, credentials only from the Secret', () => {
    const [init] = pod.initContainers!;
    expect(init.image).toMatch(/s5cmd/);
    const script = init.command![2];
    expect(script).toContain(
      '/s5cmd --numworkers "$S5CMD_WORKERS" cp "$MODEL_SOURCE/*"',
    );
    expect(script).toContain(
      'if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]',
    );
    // Values reach the script through the environment, not through its text.
    expect(script).not.toContain('s3://');
    expect(init.env).toEqual(
      expect.arrayContaining([
        { name: 'MODEL_SOURCE', value: 's3://models/llama-3.1-8b-instruct' },
        { name: 'MODEL_REVISION', value: '0e9e39f' },
        { name: 'S3_ENDPOINT_URL', value: 'http://minio.storage.svc:9000' },
      ]),
    );
    expect(JSON.stringify(init.env)).not.toMatch(
      /AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/,
    );
    expect(init.envFrom).toEqual([
      { secretRef: { name: 'model-store', optional: false } },
    ]);
  });

  it('streams from S3 with runai_streamer instead of an init container and a PVC', () => {
    const streamed = deploymentOf({ ...llama, loadFormat: 'runai_streamer' });
    const c = streamed.spec.template.spec.containers[0];
    expect(c.args?.[0]).toBe('s3://models/llama-3.1-8b-instruct');
    expect(c.args).toContain('--load-format=runai_streamer');
    expect(streamed.spec.template.spec.initContainers).toBeUndefined();
    expect(streamed.spec.template.spec.volumes).toContainEqual({
      name: 'model-cache',
      emptyDir: {},
    });
    expect(c.env).toContainEqual({
      name: 'RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING',
      value: '0',
    });
  });

  it('requests one MIG slice by its resource name', () => {
    const mig = deploymentOf({
      ...llama,
      model: 'qwen2.5-7b-instruct',
      gpu: 'a100-80gb-mig-3g.40gb',
    });
    const c = mig.spec.template.spec.containers[0];
    expect(c.resources?.limits).toEqual({
      memory: '32Gi',
      'nvidia.com/mig-3g.40gb': '1',
    });
    expect(c.resources?.limits?.['nvidia.com/gpu']).toBeUndefined();
  });

  it('serves Hugging Face models through the cache volume with an optional token', () => {
    const hf = deploymentOf({
      ...llama,
      modelUri: undefined,
      huggingFaceTokenSecret: 'hf-token',
      modelRevision: 'main',
    });
    const c = hf.spec.template.spec.containers[0];
    expect(c.args?.[0]).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(hf.spec.template.spec.initContainers).toBeUndefined();
    expect(c.env).toContainEqual({ name: 'HF_HOME', value: '/models/hf' });
    expect(c.env).toContainEqual({
      name: 'HF_TOKEN',
      valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } },
    });
  });

  it('chooses --max-num-seqs from the plan unless given', () => {
    const spec = parseServingSpec({ ...llama, gpu: 'l4', maxModelLen: 4096 });
    const plan = planServing(spec);
    expect(plan.maxNumSeqs).toBeLessThan(256);
    expect(vllmServeArgs(spec, plan)).toContain(
      `--max-num-seqs=${plan.maxNumSeqs}`,
    );
    expect(planServing({ ...llama, maxNumSeqs: 64 }).maxNumSeqs).toBe(64);
  });

  it('matches its snapshot', () => {
    expect(toYaml(deployment)).toMatchSnapshot();
  });
});

describe('KEDA ScaledObject', () => {
  const spec = parseServingSpec({
    ...llama,
    tensorParallelSize: 2,
    autoscaling: {
      minReplicas: 1,
      maxReplicas: 6,
      prometheusAuth: 'bearer',
      prometheusAuthSecret: 'prom-token',
    },
  });
  const scaled = renderScaledObject(spec, planServing(spec));

  it('scales the Deployment on queue depth and GPU utilisation, never on CPU', () => {
    expect(scaled.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'llama3-8b-chat',
    });
    expect(scaled.spec.triggers.map(t => t.name)).toEqual([
      'queue-depth',
      'gpu-utilization',
    ]);
    const [queue, gpu] = scaled.spec.triggers;
    expect(queue.metadata.query).toBe(
      'sum(vllm:num_requests_waiting{namespace="ml-serving",pod=~"llama3-8b-chat-[a-z0-9]+-[a-z0-9]+"})',
    );
    expect(queue.metadata.threshold).toBe('5');
    expect(gpu.metadata.query).toBe(
      'sum(DCGM_FI_DEV_GPU_UTIL{namespace="ml-serving",pod=~"llama3-8b-chat-[a-z0-9]+-[a-z0-9]+"}) / 2',
    );
    expect(gpu.metadata.threshold).toBe('80');
    expect(JSON.stringify(scaled)).not.toMatch(/"cpu"/);
    expect(scaled.spec.minReplicaCount).toBe(1);
    expect(scaled.spec.maxReplicaCount).toBe(6);
    expect(scaled.spec.fallback).toEqual({ failureThreshold: 3, replicas: 1 });
  });

  it('scales up fast and down slowly', () => {
    const b = scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior;
    expect(b.scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(b.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    expect(b.scaleDown.policies).toEqual([
      { type: 'Pods', value: 1, periodSeconds: 300 },
    ]);
  });

  it('authenticates to Prometheus through a TriggerAuthentication on the named Secret', () => {
    expect(scaled.spec.triggers[0].authenticationRef).toEqual({
      name: 'llama3-8b-chat-prometheus',
    });
    expect(scaled.spec.triggers[0].metadata.authModes).toBe('bearer');
    expect(renderTriggerAuthentication(spec)?.spec.secretTargetRef).toEqual([
      { parameter: 'bearerToken', name: 'prom-token', key: 'token' },
    ]);
  });

  it('scales to zero with an activation threshold', () => {
    const zero = parseServingSpec({
      ...llama,
      autoscaling: { scaleToZero: true },
    });
    const so = renderScaledObject(zero, planServing(zero));
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.triggers[0].metadata.activationThreshold).toBe('0');
    expect(so.spec.fallback.replicas).toBe(1);
  });

  it('uses Triton pending requests and MIG engine activity where they apply', () => {
    const triton = parseServingSpec({
      ...llama,
      engine: 'triton-vllm',
      gpu: 'h100-80gb-mig-3g.40gb',
    });
    const so = renderScaledObject(triton, planServing(triton));
    expect(so.spec.triggers[0].metadata.query).toMatch(
      /^sum\(nv_inference_pending_request_count\{/,
    );
    expect(so.spec.triggers[1].metadata.query).toMatch(
      /^sum\(DCGM_FI_PROF_GR_ENGINE_ACTIVE\{.*\}\) \* 100$/,
    );
  });

  it('matches its snapshot', () => {
    expect(toYaml(scaled)).toMatchSnapshot();
  });
});

describe('Triton', () => {
  it('runs tritonserver on the mounted model repository with metrics on 8002', () => {
    const spec = parseServingSpec({
      ...llama,
      engine: 'triton-tensorrt-llm',
      tensorParallelSize: 2,
    });
    const d = renderTritonDeployment(spec, planServing(spec));
    const c = d.spec.template.spec.containers[0];
    expect(c.command).toEqual(['tritonserver']);
    expect(c.args).toContain('--model-repository=/model-repository');
    expect(c.readinessProbe?.httpGet.path).toBe('/v2/health/ready');
    expect(d.spec.template.metadata.annotations?.['prometheus.io/port']).toBe(
      '8002',
    );
    expect(d.spec.template.spec.volumes).toContainEqual({
      name: 'model-repository',
      configMap: {
        name: 'llama3-8b-chat-model-repository',
        items: [
          { key: 'config.pbtxt', path: 'tensorrt_llm/config.pbtxt' },
          { key: 'ENGINE', path: 'tensorrt_llm/1/ENGINE' },
        ],
      },
    });
    expect(c.resources?.limits?.['nvidia.com/gpu']).toBe('2');
  });
});

describe('renderServingCatalogInfo', () => {
  it('renders a model-server Component with our annotations', () => {
    const entity = renderServingCatalogInfo({ ...llama, cluster: 'sandbox' });
    expect(entity.spec).toEqual({
      type: 'model-server',
      lifecycle: 'experimental',
      owner: 'group:default/ml-platform-team',
      system: 'ml-platform',
    });
    expect(entity.metadata.annotations).toEqual({
      'mlops/manifests': './deploy',
      'mlops/namespace': 'ml-serving',
      'mlops/workload': 'serving',
      'mlops/cluster': 'sandbox',
      'backstage.io/kubernetes-id': 'llama3-8b-chat',
      'backstage.io/kubernetes-namespace': 'ml-serving',
    });
  });

  it("carries the plan's KV-cache range for the serving card, the same as plan.json", () => {
    const files = renderServingRepo(llama);
    const content = (path: string) => files.find(f => f.path === path)!.content;
    const entity = parse(content('catalog-info.yaml'));
    const annotated = plannedKvRange(
      entity.metadata.annotations['mlops/kv-cache-plan'],
    );
    expect(annotated).toBeDefined();
    expect(annotated).toEqual(plannedKvRange(content('plan.json')));
    expect(annotated!.blocks.low).toBeLessThan(annotated!.blocks.high);
  });
});

describe('renderServingRepo', () => {
  it('lists the files of a vLLM repo and of a Triton repo', () => {
    expect(
      renderServingRepo({ ...llama, monitor: 'podmonitor' }).map(f => f.path),
    ).toEqual([
      'README.md',
      'catalog-info.yaml',
      'deploy/deployment.yaml',
      'deploy/model-cache-pvc.yaml',
      'deploy/podmonitor.yaml',
      'deploy/scaledobject.yaml',
      'deploy/service.yaml',
      'plan.json',
    ]);
    expect(
      renderServingRepo({
        ...llama,
        engine: 'triton-vllm',
        monitor: 'servicemonitor',
      }).map(f => f.path),
    ).toEqual([
      'README.md',
      'catalog-info.yaml',
      'deploy/deployment.yaml',
      'deploy/model-cache-pvc.yaml',
      'deploy/model-repository.yaml',
      'deploy/scaledobject.yaml',
      'deploy/service.yaml',
      'deploy/servicemonitor.yaml',
      'model_repository/llama3-8b-chat/1/model.json',
      'model_repository/llama3-8b-chat/config.pbtxt',
      'plan.json',
    ]);
  });

  it('explains the plan in the README and plan.json: the range, the verdict and the release', () => {
    const files = renderServingRepo(llama);
    const planned = planServing(parseServingSpec(llama));
    const { low, middle, high } = planned.memory.estimates;
    const readme = files.find(f => f.path === 'README.md')!.content;
    expect(readme).toContain(
      `| KV-cache tokens per replica (low / expected / high) | ${fmt(
        low.tokens,
      )} / ${fmt(middle.tokens)} / ${fmt(high.tokens)} |`,
    );
    expect(readme).toContain(
      `| Verdict | fits at the low estimate (vLLM ${VLLM_RELEASE}) |`,
    );
    expect(readme).toContain(`| --max-num-seqs | ${planned.maxNumSeqs} `);
    const json = files.find(f => f.path === 'plan.json')!.content;
    const plan = JSON.parse(json);
    expect(plan.kvBytesPerTokenPerGpu).toBe(131072);
    expect(plan.kvCacheTokens).toBe(low.tokens);
    expect(plan.verdict).toBe('fits');
    expect(plan.vllmRelease).toBe(VLLM_RELEASE);
    expect(plannedKvRange(json)).toEqual({
      vllmRelease: VLLM_RELEASE,
      verdict: 'fits',
      blockSize: 16,
      maxModelLen: 8192,
      tokens: { low: low.tokens, middle: middle.tokens, high: high.tokens },
      blocks: { low: low.blocks, middle: middle.blocks, high: high.blocks },
    });
    expect(planned.maxNumSeqs).toBe(
      chooseMaxNumSeqs({ kvCacheTokens: low.tokens }, 2048),
    );
  });

  it('renders a borderline configuration with the reason in plan.json and the README', () => {
    const probe = planServing(parseServingSpec({ ...llama, gpu: 'l4' }));
    const { low, high } = probe.memory.estimates;
    const maxModelLen =
      Math.floor((low.tokens + high.tokens) / 2 / 1024) * 1024;
    const files = renderServingRepo({ ...llama, gpu: 'l4', maxModelLen });
    const plan = JSON.parse(files.find(f => f.path === 'plan.json')!.content);
    expect(plan.verdict).toBe('borderline');
    expect(plan.warnings[0]).toMatch(
      /^borderline: vLLM's KV cache will hold between /,
    );
    expect(plan.warnings[1]).toMatch(/^Nearest configuration that fits: /);
    const readme = files.find(f => f.path === 'README.md')!.content;
    expect(readme).toMatch(/\| Verdict \| \*\*borderline\*\* \(vLLM /);
  });

  it('gives byte-identical files for the same input', () => {
    expect(renderServingRepo(llama)).toEqual(
      renderServingRepo(JSON.parse(JSON.stringify(llama))),
    );
  });

  it('sizes the cache PVC from the weights plus headroom', () => {
    const pvc = (input: ServingSpecInput) =>
      parse(
        renderServingRepo(input).find(
          f => f.path === 'deploy/model-cache-pvc.yaml',
        )!.content,
      );
    expect(pvc(llama).spec.resources.requests.storage).toBe('30Gi');
    expect(
      pvc({ ...llama, model: 'llama-3.1-70b-instruct', tensorParallelSize: 4 })
        .spec.resources.requests.storage,
    ).toBe('170Gi');
  });

  it('matches its snapshot (every file)', () => {
    for (const engine of [
      'vllm',
      'triton-vllm',
      'triton-tensorrt-llm',
    ] as const) {
      for (const file of renderServingRepo({ ...llama, engine })) {
        expect(file.content).toMatchSnapshot(`${engine}: ${file.path}`);
      }
    }
  });

  it('refuses a configuration that does not fit, naming the nearest one that does', () => {
    let error: ServingPlanError | undefined;
    try {
      renderServingRepo({
        ...llama,
        model: 'llama-3-70b-instruct',
        gpu: 'a10g',
      });
    } catch (e) {
      error = e as ServingPlanError;
    }
    expect(error).toBeInstanceOf(ServingPlanError);
    expect(error).toBeInstanceOf(SpecValidationError);
    expect(error!.problems[0]).toEqual({
      field: 'plan',
      message: expect.stringMatching(/^the weights need 131\.42 GiB per GPU/),
    });
    expect(error!.message).toContain('Nearest configuration that fits: ');
  });
});
