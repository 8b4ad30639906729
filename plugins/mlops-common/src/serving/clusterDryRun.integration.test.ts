// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- test only: the sandbox API server
import { rawRequest, useControlPlane } from '@mlops-plugins/sandbox';
import { parse } from 'yaml';
import { MLOPS_FIELD_MANAGER } from '../annotations';
import { planPresetServing } from '../planner/presetPlan';
import { seededRandom } from '../training/testSpecs';
import {
  ServingPlanError,
  parseServingSpec,
  renderServingRepo,
  type ServingSpecInput,
} from '.';
import { randomServingSpec } from './testing/servingSpecs';

const RANDOM_SPECS = 120;

const PATHS: Record<string, string> = {
  'apps/v1/Deployment': '/apis/apps/v1/namespaces/{ns}/deployments',
  'v1/Service': '/api/v1/namespaces/{ns}/services',
  'v1/ConfigMap': '/api/v1/namespaces/{ns}/configmaps',
  'v1/PersistentVolumeClaim': '/api/v1/namespaces/{ns}/persistentvolumeclaims',
  'keda.sh/v1alpha1/ScaledObject':
    '/apis/keda.sh/v1alpha1/namespaces/{ns}/scaledobjects',
  'keda.sh/v1alpha1/TriggerAuthentication':
    '/apis/keda.sh/v1alpha1/namespaces/{ns}/triggerauthentications',
  'monitoring.coreos.com/v1/PodMonitor':
    '/apis/monitoring.coreos.com/v1/namespaces/{ns}/podmonitors',
  'monitoring.coreos.com/v1/ServiceMonitor':
    '/apis/monitoring.coreos.com/v1/namespaces/{ns}/servicemonitors',
};

const MODELS = [
  'qwen2.5-0.5b-instruct',
  'mistral-7b-instruct-v0.3',
  'llama-3.1-8b-instruct',
  'gemma-2-9b-it',
  'phi-4',
  'llama-3.1-70b-instruct',
  'qwen2.5-72b-instruct',
];
const GPUS = [
  'h100-80gb',
  'a100-80gb',
  'l40s',
  'l4',
  'h100-80gb-mig-3g.40gb',
  'a100-40gb-mig-1g.5gb',
];
const ENGINES = ['vllm', 'triton-vllm', 'triton-tensorrt-llm'] as const;

/** Every model × GPU × engine, at the smallest tensor-parallel size (then fp8 KV) that fits. */
function matrix(): { specs: ServingSpecInput[]; unfit: string[] } {
  const specs: ServingSpecInput[] = [];
  const unfit: string[] = [];
  for (const model of MODELS) {
    for (const gpu of GPUS) {
      const tps = gpu.includes('-mig-') ? [1] : [1, 2, 4, 8];
      const fit = tps
        .flatMap(tp => (['auto', 'fp8'] as const).map(kv => ({ tp, kv })))
        .find(
          ({ tp, kv }) =>
            planPresetServing({
              model,
              gpu,
              tensorParallelSize: tp,
              gpuMemoryUtilization: 0.9,
              maxModelLen: 4096,
              kvCacheDtype: kv,
            }).fits,
        );
      if (!fit) {
        unfit.push(`${model}@${gpu}`);
        continue;
      }
      ENGINES.forEach((engine, i) =>
        specs.push({
          name: `m-${MODELS.indexOf(model)}-${GPUS.indexOf(gpu)}-${i}`,
          owner: 'ml-platform-team',
          engine,
          model,
          gpu,
          tensorParallelSize: fit.tp,
          kvCacheDtype: fit.kv,
          maxModelLen: 4096,
          modelUri: `s3://models/${model}`,
          monitor: (['none', 'podmonitor', 'servicemonitor'] as const)[i],
          autoscaling: [
            {},
            { prometheusAuth: 'basic' as const, prometheusAuthSecret: 'prom' },
            { scaleToZero: true },
          ][i],
        }),
      );
    }
  }
  return { specs, unfit };
}

describe('rendered serving repos against the real API server and CRDs (server-side apply, dryRun=All)', () => {
  const controlPlane = useControlPlane();

  it('accepts every object over models × GPUs × engines and random specs', async () => {
    const { adminKubeConfig } = controlPlane();
    const { specs: fixed, unfit } = matrix();
    const random = seededRandom(777);
    const specs = [
      ...fixed,
      ...Array.from({ length: RANDOM_SPECS }, () => randomServingSpec(random)),
    ];
    const rejections: string[] = [];
    const applied: Record<string, number> = {};
    const namespaces = new Set<string>();
    let refusedByPlanner = 0;
    for (const input of specs) {
      let files;
      try {
        files = renderServingRepo(input);
      } catch (e) {
        if (!(e instanceof ServingPlanError)) throw e;
        refusedByPlanner++;
        continue;
      }
      const ns = parseServingSpec(input).namespace;
      if (!namespaces.has(ns)) {
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
        if (res.status !== 201 && res.status !== 409) {
          rejections.push(`Namespace ${ns}: HTTP ${res.status}`);
        }
        namespaces.add(ns);
      }
      for (const file of files.filter(f => f.path.startsWith('deploy/'))) {
        const object = parse(file.content);
        const key = `${object.apiVersion}/${object.kind}`;
        const base = PATHS[key].replace('{ns}', object.metadata.namespace);
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
        }
      }
    }
    expect(rejections).toEqual([]);
    expect(Object.keys(applied).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'PodMonitor',
      'ScaledObject',
      'Service',
      'ServiceMonitor',
      'TriggerAuthentication',
    ]);
    expect(fixed.length).toBeGreaterThanOrEqual(90);
    // eslint-disable-next-line no-console
    console.log(
      `server-side dry-run accepted ${JSON.stringify(applied)} from ${
        fixed.length
      } matrix specs and ${
        RANDOM_SPECS - refusedByPlanner
      } random specs; planner refused ${refusedByPlanner} random specs; no fit at any TP for ${unfit.join(
        ', ',
      )}`,
    );
  }, 600_000);
});
