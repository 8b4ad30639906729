import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  planPresetServing,
  planServing,
  servingPlanMarkdown,
  summarizeServingPlan,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { examples } from './plan.examples';
import { parseServingValues } from './values';

/**
 * `mlops:serving:plan`: plans the GPU memory of one replica the way vLLM V1 will and outputs
 * the plan; fails the task with the planner's problems (and the nearest configuration that
 * fits) when it does not fit, before anything is rendered or published.
 *
 * @public
 */
export function createServingPlanAction() {
  return createTemplateAction({
    id: 'mlops:serving:plan',
    description:
      'Plans GPU memory and KV cache for a model server (vLLM V1 model) and fails when the configuration cannot fit.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        values: z =>
          z.record(z.string(), z.unknown(), {
            description:
              'The serving spec (name, owner, model, gpu, tensorParallelSize, maxModelLen, …), as for mlops:serving:render.',
          }),
      },
      output: {
        fits: z =>
          z.boolean({ description: 'Always true when the step succeeds.' }),
        kvCacheTokens: z =>
          z.number({
            description: 'KV-cache tokens per replica ("GPU KV cache size").',
          }),
        maxConcurrency: z =>
          z.number({
            description: 'Full-length sequences the KV cache holds at once.',
          }),
        maxNumSeqs: z =>
          z.number({ description: '--max-num-seqs chosen from the plan.' }),
        summary: z =>
          z
            .record(z.string(), z.unknown())
            .describe('Every number of the plan (plan.json).'),
        markdown: z =>
          z.string({ description: 'The plan as a Markdown table.' }),
      },
    },
    async handler(ctx) {
      const spec = parseServingValues(ctx.input.values);
      const memory = planPresetServing({
        model: spec.model,
        gpu: spec.gpu,
        tensorParallelSize: spec.tensorParallelSize,
        gpuMemoryUtilization: spec.gpuMemoryUtilization,
        maxModelLen: spec.maxModelLen,
        maxNumBatchedTokens: spec.maxNumBatchedTokens,
        kvCacheDtype: spec.kvCacheDtype,
        quantization: spec.quantization,
      });
      if (!memory.fits) {
        throw new InputError(
          `${spec.model} does not fit on ${
            spec.gpu
          } as configured:\n${memory.problems.map(p => `  - ${p}`).join('\n')}`,
        );
      }
      const plan = planServing(spec);
      const summary = summarizeServingPlan(spec, plan);
      ctx.logger.info(
        `Plan for ${spec.name}: ${summary.kvCacheTokens} KV-cache tokens per replica, ${summary.maxConcurrency} sequences of ${spec.maxModelLen} tokens, --max-num-seqs ${plan.maxNumSeqs}`,
      );
      ctx.output('fits', true);
      ctx.output('kvCacheTokens', summary.kvCacheTokens);
      ctx.output('maxConcurrency', summary.maxConcurrency);
      ctx.output('maxNumSeqs', plan.maxNumSeqs);
      ctx.output('summary', summary as unknown as Record<string, unknown>);
      ctx.output('markdown', servingPlanMarkdown(spec, plan));
    },
  });
}
