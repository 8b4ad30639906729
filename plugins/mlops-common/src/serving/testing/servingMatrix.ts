import { planPresetServing } from '../../planner/presetPlan';
import type { ServingSpecInput } from '../spec';

/** Dense, sliding-window (Gemma 2/3, gpt-oss), MoE (Mixtral, Qwen3, gpt-oss), MLA (DeepSeek) and quantized presets. */
export const MATRIX_MODELS = [
  'qwen2.5-0.5b-instruct',
  'mistral-7b-instruct-v0.3',
  'llama-3.1-8b-instruct',
  'gemma-2-9b-it',
  'gemma-3-27b-it',
  'phi-4',
  'llama-3.1-70b-instruct',
  'qwen2.5-72b-instruct',
  'qwen2.5-72b-instruct-awq',
  'mixtral-8x7b-instruct-v0.1',
  'qwen3-30b-a3b',
  'gpt-oss-20b',
  'gpt-oss-120b',
  'deepseek-v3',
];
export const MATRIX_GPUS = [
  'h100-80gb',
  'h200-141gb',
  'a100-80gb',
  'l40s',
  'l4',
  'h100-80gb-mig-3g.40gb',
  'a100-40gb-mig-1g.5gb',
];
const ENGINES = ['vllm', 'triton-vllm', 'triton-tensorrt-llm'] as const;

/**
 * Every model × GPU × engine, at the smallest tensor-parallel size (then fp8 KV) that fits at
 * the low estimate; the pairs with no fit at any size are listed in `unfit`.
 */
export function servingMatrix(): {
  specs: ServingSpecInput[];
  unfit: string[];
} {
  const specs: ServingSpecInput[] = [];
  const unfit: string[] = [];
  for (const model of MATRIX_MODELS) {
    for (const gpu of MATRIX_GPUS) {
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
            }).verdict === 'fits',
        );
      if (!fit) {
        unfit.push(`${model}@${gpu}`);
        continue;
      }
      ENGINES.forEach((engine, i) =>
        specs.push({
          name: `m-${MATRIX_MODELS.indexOf(model)}-${MATRIX_GPUS.indexOf(
            gpu,
          )}-${i}`,
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
