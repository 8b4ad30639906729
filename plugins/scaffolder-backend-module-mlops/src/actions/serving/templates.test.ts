import fs from 'node:fs';
import path from 'node:path';
import {
  GPU_PRESET_IDS,
  MODEL_PRESET_IDS,
  servingSpecSchema,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import yaml from 'yaml';

const TEMPLATES = path.resolve(__dirname, '../../../templates');

describe.each(['vllm-model-server', 'triton-model-server'])(
  'template %s',
  name => {
    const template = yaml.parse(
      fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
    );
    const fields = Object.assign(
      {},
      ...template.spec.parameters.map((p: any) => p.properties),
    );

    it('offers exactly the planner presets', () => {
      expect(fields.model.enum).toEqual(MODEL_PRESET_IDS);
      expect(fields.model.enumNames).toHaveLength(MODEL_PRESET_IDS.length);
      expect(fields.gpu.enum).toEqual(GPU_PRESET_IDS);
      expect(fields.gpu.enumNames).toHaveLength(GPU_PRESET_IDS.length);
    });

    it('shows the GPU memory plan on the page of the fields it is planned from', () => {
      const page = template.spec.parameters.find(
        (p: any) => p.properties?.gpuMemoryPlan,
      );
      expect(page.properties.gpuMemoryPlan).toMatchObject({
        type: 'string',
        'ui:field': 'MlopsServingPlan',
      });
      expect(Object.keys(page.properties)).toEqual(
        expect.arrayContaining([
          'model',
          'gpu',
          'tensorParallelSize',
          'maxModelLen',
          'gpuMemoryUtilization',
          'kvCacheDtype',
          'quantization',
        ]),
      );
      // Its value is a summary for the review step, never an input of the actions.
      expect(page.required ?? []).not.toContain('gpuMemoryPlan');
      expect(JSON.stringify(template.spec.steps)).not.toContain(
        'gpuMemoryPlan',
      );
    });

    it('plans first, then renders the same values, validates and publishes', () => {
      const steps = template.spec.steps;
      expect(steps.slice(0, 3).map((s: any) => s.action)).toEqual([
        'mlops:serving:plan',
        'mlops:serving:render',
        'mlops:manifests:validate',
      ]);
      expect(steps[1].input.values).toEqual(steps[0].input.values);
      expect(steps.map((s: any) => s.action)).toContain('mlops:publish:local');
    });

    it('passes only fields the serving spec knows, from parameters that exist', () => {
      const values = template.spec.steps[0].input.values;
      const known = Object.keys(
        (servingSpecSchema as any)._def.schema._def.schema.shape,
      );
      expect(Object.keys(values).filter(k => !known.includes(k))).toEqual([]);
      const referenced = [
        ...JSON.stringify(values).matchAll(/parameters\.(\w+)/g),
      ].map(m => m[1]);
      expect(referenced.filter(r => !(r in fields))).toEqual([]);
    });
  },
);
