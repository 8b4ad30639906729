import type { GpuPreset } from './gpuPresets';
import type { ModelPreset } from './modelPresets';
import type { ServingMemoryPlan, ServingVerdict } from './planCore';
import { planServingMemory } from './planServingMemory';
import {
  chooseMaxNumSeqs,
  presetPlanInput,
  type PresetPlanInput,
} from './presetPlan';
import { planServingTradeoffs, type ServingTradeoffs } from './tradeoffs';
import { fmt, gib } from './units';

/** The plan of what the serving form holds so far. @public */
export type ServingFormPlan =
  | { status: 'incomplete'; missing: string[] }
  | { status: 'invalid'; message: string }
  | {
      status: 'planned';
      input: PresetPlanInput;
      model: ModelPreset;
      gpu: GpuPreset;
      memory: ServingMemoryPlan;
      gpusPerReplica: number;
      /** Prompt + output tokens of a typical request, as the serving spec defaults it. */
      typicalRequestTokens: number;
      /** --max-num-seqs the render step will choose (meaningful unless does-not-fit). */
      maxNumSeqs: number;
      verdict: ServingVerdict;
      /** verdict === 'fits'. */
      fits: boolean;
      /** Why it does not fit, the last naming the nearest configuration that fits. */
      problems: string[];
      /** Why it is borderline, and what would make it fit. */
      warnings: string[];
    };

const REQUIRED = [
  'model',
  'gpu',
  'tensorParallelSize',
  'maxModelLen',
  'gpuMemoryUtilization',
] as const;

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** The problems as sentences, for a one-line message. */
function sentences(problems: string[]): string {
  return problems.map(p => (p.endsWith('.') ? p : `${p}.`)).join(' ');
}

/** Numbers from a form may arrive as strings; anything else stays as given for the planner to refuse. */
function num(value: unknown): number {
  return typeof value === 'string' ? Number(value) : (value as number);
}

/**
 * Plans the memory of one replica from the serving template's form values (`model`, `gpu`,
 * `tensorParallelSize`, `maxModelLen`, `gpuMemoryUtilization`, `kvCacheDtype`, `quantization`),
 * the way `mlops:serving:plan` will when the task runs. Pure: the Create form calls it on
 * every change.
 * @public
 */
export function planServingForm(
  values: Record<string, unknown> | undefined,
): ServingFormPlan {
  const v = values ?? {};
  const missing = REQUIRED.filter(key => !present(v[key]));
  if (missing.length > 0) return { status: 'incomplete', missing };
  const input: PresetPlanInput = {
    model: String(v.model),
    gpu: String(v.gpu),
    tensorParallelSize: num(v.tensorParallelSize),
    maxModelLen: num(v.maxModelLen),
    gpuMemoryUtilization: num(v.gpuMemoryUtilization),
    kvCacheDtype: v.kvCacheDtype === 'fp8' ? 'fp8' : 'auto',
    quantization: v.quantization === 'fp8' ? 'fp8' : 'none',
  };
  try {
    const { memory: memoryInput, model, gpu } = presetPlanInput(input);
    const memory = planServingMemory(memoryInput);
    const problems = [...memory.problems];
    if (gpu.mig && input.tensorParallelSize !== 1) {
      problems.unshift(
        `a MIG slice (${gpu.id}) runs one GPU per replica: --tensor-parallel-size must be 1 (got ${input.tensorParallelSize}); choose a whole GPU for tensor parallelism`,
      );
    }
    const verdict: ServingVerdict =
      problems.length > 0 ? 'does-not-fit' : memory.verdict;
    const typicalRequestTokens = Math.min(2048, input.maxModelLen);
    return {
      status: 'planned',
      input,
      model,
      gpu,
      memory,
      gpusPerReplica: gpu.mig ? 1 : input.tensorParallelSize,
      typicalRequestTokens,
      maxNumSeqs: chooseMaxNumSeqs(memory, typicalRequestTokens),
      verdict,
      fits: verdict === 'fits',
      problems,
      warnings: memory.warnings,
    };
  } catch (error) {
    if (error instanceof RangeError) {
      return { status: 'invalid', message: error.message };
    }
    throw error;
  }
}

/** Why the form's configuration is refused, or undefined when it is not (borderline is not refused). @public */
export function servingFormPlanError(
  plan: ServingFormPlan,
): string | undefined {
  if (plan.status === 'invalid')
    return `Cannot plan GPU memory: ${plan.message}`;
  if (plan.status === 'incomplete' || plan.verdict !== 'does-not-fit')
    return undefined;
  return `${plan.model.displayName} does not fit on ${
    plan.gpu.displayName
  } as configured: ${sentences(plan.problems)}`;
}

/** One line for the review step and the task's parameters. @public */
export function servingFormPlanSummary(plan: ServingFormPlan): string {
  if (plan.status === 'incomplete') {
    return `not planned yet (missing ${plan.missing.join(', ')})`;
  }
  if (plan.status === 'invalid') return `not planned: ${plan.message}`;
  if (plan.verdict === 'does-not-fit') {
    return `does not fit: ${sentences(plan.problems)}`;
  }
  const { memory, input } = plan;
  const { low, high } = memory.estimates;
  const g = memory.perGpu;
  return [
    `${plan.verdict === 'borderline' ? 'BORDERLINE, ' : ''}${fmt(
      low.tokens,
    )}–${fmt(high.tokens)} KV-cache tokens per replica (vLLM ${
      memory.vllmRelease
    })`,
    `${low.maxConcurrency.toFixed(2)}–${high.maxConcurrency.toFixed(
      2,
    )} sequences of ${fmt(input.maxModelLen)} tokens at once`,
    `--max-num-seqs ${plan.maxNumSeqs}`,
    `${plan.gpusPerReplica} × ${plan.gpu.displayName}, per GPU of a ${gib(
      g.budgetBytes,
    )} budget: weights ${gib(g.weightBytes)}, activations ${gib(
      g.activationPeakBytes,
    )}, non-torch ${gib(g.nonTorchBytes)}, CUDA graphs ${gib(
      g.cudaGraphBytes,
    )}, KV cache ${gib(g.kvCacheBytes)}`,
  ].join('; ');
}

/**
 * The trade-off curves of a planned form (concurrency against context length and against
 * memory utilization, low/middle/high), for the plan's chart; undefined until it is planned.
 * @public
 */
export function servingFormTradeoffs(
  plan: ServingFormPlan,
): ServingTradeoffs | undefined {
  if (plan.status !== 'planned') return undefined;
  return planServingTradeoffs(presetPlanInput(plan.input).memory);
}
