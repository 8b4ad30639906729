// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- test only: the sandbox API server
import { rawRequest, useControlPlane } from '@mlops-plugins/sandbox';
import { parse } from 'yaml';
import { MLOPS_FIELD_MANAGER } from '../annotations';
import { findModelPreset } from '../planner/modelPresets';
import { seededRandom } from '../training/testSpecs';
import { ServingPlanError, parseServingSpec, renderServingRepo } from '.';
import { servingMatrix } from './testing/servingMatrix';
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

describe('rendered serving repos against the real API server and CRDs (server-side apply, dryRun=All)', () => {
  const controlPlane = useControlPlane();

  it('accepts every object over models × GPUs × engines and random specs', async () => {
    const { adminKubeConfig } = controlPlane();
    const { specs: fixed, unfit } = servingMatrix();
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
    // MoE, MLA and sliding-window presets reach the API server, not only dense ones.
    const presets = new Set(fixed.map(s => findModelPreset(s.model)!));
    expect([...presets].some(m => m.family === 'moe')).toBe(true);
    expect([...presets].some(m => m.family === 'mla')).toBe(true);
    expect([...presets].some(m => m.slidingWindow)).toBe(true);
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
