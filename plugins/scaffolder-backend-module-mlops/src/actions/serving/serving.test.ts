import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import {
  VLLM_RELEASE,
  parseServingSpec,
  planServing,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { createServingPlanAction } from './plan';
import { examples as planExamples } from './plan.examples';
import { createServingRenderAction } from './render';
import { examples as renderExamples } from './render.examples';
import { runAction, type StepInputOf } from '../__testUtils__/runAction';

const values = {
  name: 'llama-chat',
  owner: 'group:default/ml-platform-team',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  modelUri: 's3://models/llama-3.1-8b-instruct',
  // What a form sends for empty optional fields.
  description: undefined,
  maxNumSeqs: undefined,
};

describe('mlops:serving:* actions', () => {
  let workspacePath: string;
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-serving-'));
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  const planAction = createServingPlanAction();
  const renderAction = createServingRenderAction();
  const runPlan = (input: StepInputOf<typeof planAction>) =>
    runAction(planAction, input, { workspacePath });
  const runRender = (
    input: StepInputOf<typeof renderAction>,
    isDryRun = false,
  ) => runAction(renderAction, input, { workspacePath, isDryRun });

  async function listFiles(dir = workspacePath): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await listFiles(full)));
      else out.push(path.relative(workspacePath, full));
    }
    return out.sort();
  }

  describe('mlops:serving:plan', () => {
    it('outputs the plan of a configuration that fits, with its range and release', async () => {
      const ctx = await runPlan({ values });
      const plan = planServing(parseServingSpec(values));
      const { low, high } = plan.memory.estimates;
      expect(ctx.output).toHaveBeenCalledWith('fits', true);
      expect(ctx.output).toHaveBeenCalledWith('verdict', 'fits');
      expect(ctx.output).toHaveBeenCalledWith('vllmRelease', VLLM_RELEASE);
      expect(ctx.output).toHaveBeenCalledWith('kvCacheTokens', low.tokens);
      expect(ctx.output).toHaveBeenCalledWith('maxNumSeqs', plan.maxNumSeqs);
      expect(ctx.output).toHaveBeenCalledWith(
        'summary',
        expect.objectContaining({
          kvCache: expect.objectContaining({
            tokens: expect.objectContaining({
              low: low.tokens,
              high: high.tokens,
            }),
          }),
        }),
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'markdown',
        expect.stringContaining(
          '| KV-cache tokens per replica (low / expected / high) |',
        ),
      );
      expect(await listFiles()).toEqual([]);
    });

    it('passes a borderline configuration with its reason as a warning', async () => {
      const probe = planServing(parseServingSpec({ ...values, gpu: 'l4' }));
      const { low, high } = probe.memory.estimates;
      const maxModelLen =
        Math.floor((low.tokens + high.tokens) / 2 / 1024) * 1024;
      const ctx = await runPlan({
        values: { ...values, gpu: 'l4', maxModelLen },
      });
      expect(ctx.output).toHaveBeenCalledWith('fits', false);
      expect(ctx.output).toHaveBeenCalledWith('verdict', 'borderline');
      expect(ctx.output).toHaveBeenCalledWith(
        'warnings',
        expect.arrayContaining([expect.stringMatching(/^borderline: /)]),
      );
    });

    it('fails the task with the planner problems and the nearest configuration that fits', async () => {
      await expect(
        runPlan({
          values: { ...values, model: 'llama-3-70b-instruct', gpu: 'l4' },
        }),
      ).rejects.toThrow(
        /llama-3-70b-instruct does not fit on l4 as configured:\n {2}- the weights need 131\.42 GiB per GPU[\s\S]*Nearest configuration that fits: --tensor-parallel-size/,
      );
    });

    it('refuses invalid values naming the field', async () => {
      await expect(
        runPlan({
          values: { ...values, gpuMemoryUtilization: 7 },
        }),
      ).rejects.toThrow(
        /gpuMemoryUtilization: must be a number greater than 0.05 and at most 1 \(got 7\)/,
      );
    });

    it('runs each documented example', async () => {
      for (const example of planExamples) {
        const step = yaml.parse(example.example).steps[0];
        const ctx = await runPlan(step.input);
        expect(ctx.output).toHaveBeenCalledWith('fits', true);
      }
    });
  });

  describe('mlops:serving:render', () => {
    it('writes the repo and reports what it wrote', async () => {
      const ctx = await runRender({ values });
      expect(await listFiles()).toEqual([
        'README.md',
        'catalog-info.yaml',
        'deploy/deployment.yaml',
        'deploy/model-cache-pvc.yaml',
        'deploy/scaledobject.yaml',
        'deploy/service.yaml',
        'plan.json',
      ]);
      expect(ctx.output).toHaveBeenCalledWith('entityName', 'llama-chat');
      expect(ctx.output).toHaveBeenCalledWith('manifestsPath', 'deploy');
      expect(ctx.output).toHaveBeenCalledWith('objects', [
        'Deployment/llama-chat',
        'PersistentVolumeClaim/llama-chat-model-cache',
        'ScaledObject/llama-chat',
        'Service/llama-chat',
      ]);
    });

    it('also writes in a dry run (the scaffolder returns the dry-run workspace)', async () => {
      const ctx = await runRender(
        { values: { ...values, engine: 'triton-vllm' }, targetPath: 'repo' },
        true,
      );
      expect(ctx.output).toHaveBeenCalledWith('manifestsPath', 'repo/deploy');
      expect(await listFiles()).toContain(
        'repo/model_repository/llama-chat/config.pbtxt',
      );
    });

    it('writes nothing for a configuration that does not fit', async () => {
      await expect(
        runRender({
          values: {
            ...values,
            model: 'qwen2.5-72b-instruct',
            gpu: 'a100-40gb',
          },
        }),
      ).rejects.toThrow(/plan: Nearest configuration that fits: /);
      expect(await listFiles()).toEqual([]);
    });

    it('refuses to overwrite and to leave the workspace', async () => {
      await fs.writeFile(path.join(workspacePath, 'README.md'), 'mine');
      await expect(runRender({ values })).rejects.toThrow(
        'refusing to overwrite README.md in "."; remove them or set overwrite: true',
      );
      await expect(
        runRender({ values, targetPath: '../escape' }),
      ).rejects.toThrow('targetPath "../escape" is outside the workspace');
    });

    const hostile: Array<[string, Record<string, unknown>, RegExp]> = [
      [
        'a name with ../',
        { name: '../../etc' },
        /name: must be a DNS-1123 label/,
      ],
      [
        'a negative TP size',
        { tensorParallelSize: -1 },
        /tensorParallelSize: must be a whole number from 1 to 8/,
      ],
      [
        'shell in the model URI',
        { modelUri: 's3://m/$(id)' },
        /modelUri: must be "hf:\/\/org\/model"/,
      ],
      ['an unknown GPU', { gpu: 'tpu-v5' }, /gpu: must be one of/],
      [
        'YAML in the description',
        { description: 'a\nkind: Secret' },
        /description: must be plain text/,
      ],
    ];
    it.each(hostile)(
      'refuses %s and writes nothing',
      async (_what, patch, message) => {
        await expect(
          runRender({ values: { ...values, ...patch } }),
        ).rejects.toThrow(message);
        expect(await listFiles()).toEqual([]);
      },
    );

    it('runs each documented example', async () => {
      for (const example of renderExamples) {
        const step = yaml.parse(example.example).steps[0];
        const ctx = await runRender({
          ...step.input,
          overwrite: true,
        });
        expect(ctx.output).toHaveBeenCalledWith(
          'entityName',
          step.input.values.name,
        );
      }
    });
  });
});
