import { findGpuPreset, type GpuPreset } from './gpuPresets';
import { findModelPreset, type ModelPreset } from './modelPresets';
import {
  planServingMemory,
  type KvCacheDtype,
  type ServingMemoryInput,
  type ServingMemoryPlan,
} from './planServingMemory';

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
  maxNumSeqs?: number;
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
  return {
    model,
    gpu,
    memory: {
      model: {
        numLayers: model.numLayers,
        numKvHeads: model.numKvHeads,
        headDim: model.headDim,
        paramCount: model.paramCount,
        weightDtype: input.quantization === 'fp8' ? 'fp8' : model.dtype,
        hiddenSize: model.hiddenSize,
        intermediateSize: model.intermediateSize,
        vocabSize: model.vocabSize,
        tieWordEmbeddings: model.tieWordEmbeddings,
        maxPositionEmbeddings: model.maxPositionEmbeddings,
      },
      gpu: { memoryBytes: gpu.memoryBytes },
      tensorParallelSize: input.tensorParallelSize,
      gpuMemoryUtilization: input.gpuMemoryUtilization,
      maxModelLen: input.maxModelLen,
      maxNumBatchedTokens: input.maxNumBatchedTokens,
      kvCacheDtype: input.kvCacheDtype,
      modelDtype: model.dtype,
      maxTensorParallelSize: gpu.mig ? 1 : 8,
      maxNumSeqs: input.maxNumSeqs,
    },
  };
}

/** {@link planServingMemory} for preset ids. @public */
export function planPresetServing(input: PresetPlanInput): ServingMemoryPlan {
  return planServingMemory(presetPlanInput(input).memory);
}

/** vLLM's default --max-num-seqs, and the most we ever set. @public */
export const MAX_NUM_SEQS_CAP = 256;

/**
 * --max-num-seqs from the plan: as many sequences as the KV cache holds at the typical request
 * length (prompt + output), at most 256. More would only be preempted and recomputed when the
 * cache fills; fewer would leave GPU memory idle while requests queue.
 * @public
 */
export function chooseMaxNumSeqs(
  plan: ServingMemoryPlan,
  typicalRequestTokens: number,
): number {
  const byCache = Math.floor(
    plan.kvCacheTokens / Math.max(1, typicalRequestTokens),
  );
  const seqs = Math.min(MAX_NUM_SEQS_CAP, Math.max(1, byCache));
  // Multiples of 8 match vLLM's CUDA graph batch sizes.
  return seqs >= 16 ? seqs - (seqs % 8) : seqs;
}
