import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ServingPlanError,
  planServing,
  servingPlanMarkdown,
  summarizeServingPlan,
  type ServingPlan,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { examples } from './plan.examples';
import { parseServingValues } from './values';

/**
 * `mlops:serving:plan`: plans the GPU memory of one replica the way vLLM V1 will and outputs
 * the plan with its low/middle/high range; fails the task with the planner's problems (and the
 * nearest configuration that fits) when even the high estimate does not fit, before anything is
 * rendered or published. A borderline plan passes with a warning in the log and the output.
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
          z.boolean({
            description:
              'True when the low estimate holds a --max-model-len sequence; false when borderline.',
          }),
        verdict: z =>
          z.enum(['fits', 'borderline'], {
            description: 'fits, or borderline (vLLM may refuse to start).',
          }),
        warnings: z =>
          z.array(z.string()).describe('Why the plan is borderline, if it is.'),
        vllmRelease: z =>
          z.string({ description: 'The vLLM release the plan is for.' }),
        kvCacheTokens: z =>
          z.number({
            description:
              'KV-cache tokens per replica at the low estimate ("GPU KV cache size").',
          }),
        maxConcurrency: z =>
          z.number({
            description:
              'Full-length sequences the KV cache holds at once (low estimate).',
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
      let plan: ServingPlan;
      try {
        plan = planServing(spec);
      } catch (error) {
        if (!(error instanceof ServingPlanError)) throw error;
        throw new InputError(
          `${spec.model} does not fit on ${
            spec.gpu
          } as configured:\n${error.plan.problems
            .map(p => `  - ${p}`)
            .join('\n')}`,
        );
      }
      const summary = summarizeServingPlan(spec, plan);
      ctx.logger.info(
        `Plan for ${spec.name} (vLLM ${summary.vllmRelease}, ${summary.verdict}): ${summary.kvCache.tokens.low}–${summary.kvCache.tokens.high} KV-cache tokens per replica, ${summary.maxConcurrency} sequences of ${spec.maxModelLen} tokens at the low estimate, --max-num-seqs ${plan.maxNumSeqs}`,
      );
      for (const warning of plan.memory.warnings) ctx.logger.warn(warning);
      ctx.output('fits', plan.verdict === 'fits');
      ctx.output('verdict', plan.verdict);
      ctx.output('warnings', plan.memory.warnings);
      ctx.output('vllmRelease', plan.memory.vllmRelease);
      ctx.output('kvCacheTokens', summary.kvCacheTokens);
      ctx.output('maxConcurrency', summary.maxConcurrency);
      ctx.output('maxNumSeqs', plan.maxNumSeqs);
      ctx.output('summary', summary as unknown as Record<string, unknown>);
      ctx.output('markdown', servingPlanMarkdown(spec, plan));
    },
  });
}
