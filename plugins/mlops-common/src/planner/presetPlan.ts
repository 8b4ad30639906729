import { findGpuPreset, type GpuPreset } from './gpuPresets';
import type { KvCacheDtype } from './modelArchitecture';
import { findModelPreset, type ModelPreset } from './modelPresets';
import type { ServingMemoryInput, ServingMemoryPlan } from './planCore';
import { planServingMemory } from './planServingMemory';

/** vLLM's default --max-num-seqs on most GPUs, and the most the renderer ever sets. @public */
export const MAX_NUM_SEQS_CAP = 256;
/** --max-num-batched-tokens of the serving spec unless given. */
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;

/** A serving configuration named by preset ids, as the form and the spec hold it. @public */
export interface PresetPlanInput {
  model: string;
  gpu: string;
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number;
  maxNumBatchedTokens?: number;
  kvCacheDtype?: KvCacheDtype;
  /** `fp8`: vLLM quantizes the bf16 checkpoint's weights to fp8 when loading. */
  quantization?: 'none' | 'fp8';
  /**
   * --max-num-seqs the server will run with. Default {@link MAX_NUM_SEQS_CAP}: the renderer
   * never sets more, and the profiling run's sampler grows with it, so planning at the cap
   * holds for any value chosen below it.
   */
  maxNumSeqs?: number;
  vllmRelease?: string;
}

/** The planner's input for preset ids; throws RangeError naming an unknown id. @public */
export function presetPlanInput(input: PresetPlanInput): {
  memory: ServingMemoryInput;
  model: ModelPreset;
  gpu: GpuPreset;
} {
  const model = findModelPreset(input.model);
  if (!model) throw new RangeError(`unknown model preset "${input.model}"`);
  const gpu = findGpuPreset(input.gpu);
  if (!gpu) throw new RangeError(`unknown GPU preset "${input.gpu}"`);
  const onlineFp8 =
    input.quantization === 'fp8' && model.weightDtype === 'bfloat16';
  return {
    model,
    gpu,
    memory: {
      model: { ...model, weightDtype: onlineFp8 ? 'fp8' : model.weightDtype },
      gpu: { memoryBytes: gpu.memoryBytes, name: gpu.displayName },
      tensorParallelSize: input.tensorParallelSize,
      gpuMemoryUtilization: input.gpuMemoryUtilization,
      maxModelLen: input.maxModelLen,
      maxNumBatchedTokens:
        input.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS,
      maxNumSeqs: input.maxNumSeqs ?? MAX_NUM_SEQS_CAP,
      kvCacheDtype: input.kvCacheDtype,
      modelDtype: model.dtype,
      maxTensorParallelSize: gpu.mig ? 1 : 8,
      vllmRelease: input.vllmRelease,
    },
  };
}

/** {@link planServingMemory} for preset ids. @public */
export function planPresetServing(input: PresetPlanInput): ServingMemoryPlan {
  return planServingMemory(presetPlanInput(input).memory);
}

/**
 * --max-num-seqs from the plan's low estimate: as many sequences as the KV cache surely holds
 * at the typical request length (prompt + output), at most 256. More would only be preempted
 * and recomputed when the cache fills; fewer would leave GPU memory idle while requests queue.
 * @public
 */
export function chooseMaxNumSeqs(
  plan: Pick<ServingMemoryPlan, 'kvCacheTokens'>,
  typicalRequestTokens: number,
): number {
  const byCache = Math.floor(
    plan.kvCacheTokens / Math.max(1, typicalRequestTokens),
  );
  const seqs = Math.min(MAX_NUM_SEQS_CAP, Math.max(1, byCache));
  // Multiples of 8 match vLLM's CUDA graph batch sizes.
  return seqs >= 16 ? seqs - (seqs % 8) : seqs;
}
