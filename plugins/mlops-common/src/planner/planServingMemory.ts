/**
 * GPU memory and KV-cache planner for vLLM V1. Pure arithmetic, no I/O: usable in the browser
 * (the Create form) and in the scaffolder action alike.
 *
 * Model of vLLM V1 (REFERENCE.md, "GPU memory and the KV cache"): per GPU,
 *   KV cache = total × gpu_memory_utilization − weights / TP − activation peak − non-torch memory,
 * KV bytes per token per GPU = 2 × layers × max(1, kv_heads / TP) × head_dim × dtype bytes, and the
 * cache holds floor(KV cache / (bytes per token × block size)) blocks of `block size` tokens.
 */

/** Bytes of one GiB. @public */
export const GIB = 1024 ** 3;

/** @public */
export type WeightDtype = 'bfloat16' | 'float16' | 'fp8' | 'int8' | 'int4';
/** @public */
export type KvCacheDtype = 'auto' | 'bfloat16' | 'float16' | 'fp8';

/** Input of {@link planServingMemory}. @public */
export interface ServingMemoryInput {
  model: {
    numLayers: number;
    numKvHeads: number;
    headDim: number;
    /** Weight bytes of the whole model (all GPUs together); else estimated from paramCount. */
    weightBytes?: number;
    paramCount?: number;
    weightDtype?: WeightDtype;
    /** Optional refinements of the activation estimate; estimated from paramCount when absent. */
    hiddenSize?: number;
    intermediateSize?: number;
    vocabSize?: number;
    /** Input and output embeddings share one matrix (Gemma, small Qwen and Llama models). */
    tieWordEmbeddings?: boolean;
    /** The model's context limit; a longer maxModelLen is refused as vLLM refuses it. */
    maxPositionEmbeddings?: number;
  };
  gpu: { memoryBytes: number };
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number;
  maxNumBatchedTokens?: number;
  kvCacheDtype?: KvCacheDtype;
  modelDtype?: 'bfloat16' | 'float16';
  blockSize?: number;
  /** Largest tensor-parallel size the suggestions may use (1 on a MIG slice); default 8. */
  maxTensorParallelSize?: number;
  /** max_num_seqs of the profiling run (sampler logits); default 256 as in vLLM. */
  maxNumSeqs?: number;
}

/** Result of {@link planServingMemory}. @public */
export interface ServingMemoryPlan {
  kvBytesPerTokenPerGpu: number;
  perGpu: {
    totalBytes: number;
    budgetBytes: number;
    weightBytes: number;
    activationPeakBytes: number;
    nonTorchBytes: number;
    kvCacheBytes: number;
  };
  kvCacheTokens: number;
  maxConcurrency: number;
  fits: boolean;
  problems: string[];
}

const DTYPE_BYTES: Record<WeightDtype | 'bfloat16' | 'float16', number> = {
  bfloat16: 2,
  float16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/** Non-torch memory per GPU (CUDA context, cuBLAS workspaces; NCCL and custom all-reduce buffers at TP>1). */
const NON_TORCH_TP1 = 0.25 * GIB;
const NON_TORCH_TP_MULTI = 2 * GIB;
/** Headroom outside the budget that CUDA graph capture and the allocator need. */
const MIN_HEADROOM = 0.5 * GIB;
/** Activation estimate margin: never promise tokens that the profiling run will take away. */
const ACTIVATION_MARGIN = 1.15;
/** Vocabulary assumed when the model does not say: larger than most, so the estimate errs high. */
const DEFAULT_VOCAB = 152_064;
const DEFAULT_TP_LIMIT = 8;

function assertPositive(name: string, value: number, integer = false): void {
  if (
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new RangeError(
      `${name} must be a positive ${
        integer ? 'whole number' : 'number'
      } (got ${value})`,
    );
  }
}

function validate(input: ServingMemoryInput): void {
  const { model } = input;
  assertPositive('model.numLayers', model.numLayers, true);
  assertPositive('model.numKvHeads', model.numKvHeads, true);
  assertPositive('model.headDim', model.headDim, true);
  assertPositive('gpu.memoryBytes', input.gpu.memoryBytes);
  assertPositive('tensorParallelSize', input.tensorParallelSize, true);
  assertPositive('maxModelLen', input.maxModelLen, true);
  if (
    !Number.isFinite(input.gpuMemoryUtilization) ||
    input.gpuMemoryUtilization <= 0 ||
    input.gpuMemoryUtilization > 1
  ) {
    throw new RangeError(
      `gpuMemoryUtilization must be in (0, 1] (got ${input.gpuMemoryUtilization})`,
    );
  }
  if (model.weightBytes === undefined && model.paramCount === undefined) {
    throw new RangeError('model needs weightBytes or paramCount');
  }
  if (model.weightBytes !== undefined)
    assertPositive('model.weightBytes', model.weightBytes);
  if (model.paramCount !== undefined)
    assertPositive('model.paramCount', model.paramCount);
  if (input.maxNumBatchedTokens !== undefined)
    assertPositive('maxNumBatchedTokens', input.maxNumBatchedTokens, true);
  if (input.blockSize !== undefined)
    assertPositive('blockSize', input.blockSize, true);
}

function kvDtypeBytes(input: ServingMemoryInput): number {
  const kv = input.kvCacheDtype ?? 'auto';
  if (kv === 'fp8') return 1;
  // auto = the model's activation dtype; fp8 *weights* do not change it.
  return 2;
}

/** KV heads each GPU holds: heads are split across TP ranks, or replicated when there are more ranks than heads. @public */
export function kvHeadsPerGpu(numKvHeads: number, tp: number): number {
  return Math.max(1, Math.floor(numKvHeads / tp));
}

/** Weights of the whole model in bytes, from weightBytes or from the parameter count and dtype. @public */
export function estimateWeightBytes(
  model: ServingMemoryInput['model'],
  modelDtype: 'bfloat16' | 'float16' = 'bfloat16',
): number {
  if (model.weightBytes !== undefined) return model.weightBytes;
  const params = model.paramCount!;
  const dtype = model.weightDtype ?? modelDtype;
  const bytes = DTYPE_BYTES[dtype];
  if (bytes >= 2) return params * bytes;
  // Quantized checkpoints keep embeddings and lm_head in 16 bits, and carry scales.
  const hidden = model.hiddenSize ?? estimateHidden(model);
  const vocab = model.vocabSize ?? DEFAULT_VOCAB;
  const embedding = Math.min(
    params * 0.25,
    vocab * hidden * (model.tieWordEmbeddings ? 1 : 2),
  );
  const scales = dtype === 'int4' ? 1 / 32 : 1 / 128;
  return embedding * 2 + (params - embedding) * (bytes + scales);
}

function estimateHidden(model: ServingMemoryInput['model']): number {
  if (model.hiddenSize) return model.hiddenSize;
  if (model.paramCount) {
    // Dense decoder: about 12 × hidden² parameters per layer.
    return Math.sqrt(model.paramCount / (12 * model.numLayers));
  }
  // Grouped-query attention usually keeps 4 query heads per KV head.
  return model.numKvHeads * model.headDim * 4;
}

/**
 * Peak of PyTorch activations during vLLM's profiling run: a forward pass over
 * max_num_batched_tokens tokens (residual, norm and attention tensors, the MLP's gate/up
 * output split over TP) plus the sampler's fp32 logits for max_num_seqs requests.
 *
 * @public
 */
export function estimateActivationPeakBytes(input: ServingMemoryInput): number {
  const tp = input.tensorParallelSize;
  const tokens = input.maxNumBatchedTokens ?? 8192;
  const hidden = estimateHidden(input.model);
  const intermediate = input.model.intermediateSize ?? 3.5 * hidden;
  const vocab = input.model.vocabSize ?? DEFAULT_VOCAB;
  const actBytes = DTYPE_BYTES[input.modelDtype ?? 'bfloat16'];
  const perToken =
    actBytes * (3 * hidden + (2 * intermediate + 1.5 * hidden) / tp);
  const seqs = Math.min(input.maxNumSeqs ?? 256, tokens);
  // logits, softmax probabilities and the top-k/top-p sort buffer, in fp32
  const sampler = seqs * vocab * 4 * 3;
  return Math.ceil((tokens * perToken + sampler) * ACTIVATION_MARGIN);
}

/** Non-torch memory per GPU: ~0.25 GiB alone, ~2 GiB with NCCL buffers at TP ≥ 2. @public */
export function estimateNonTorchBytes(tp: number): number {
  return tp > 1 ? NON_TORCH_TP_MULTI : NON_TORCH_TP1;
}

interface Core {
  plan: ServingMemoryPlan;
  weightsTooLarge: boolean;
}

function tpProblem(numKvHeads: number, tp: number): string | undefined {
  const ok = tp <= numKvHeads ? numKvHeads % tp === 0 : tp % numKvHeads === 0;
  return ok
    ? undefined
    : `--tensor-parallel-size ${tp} does not divide the model's ${numKvHeads} KV heads (nor do they divide it); vLLM refuses it — use a divisor or multiple of ${numKvHeads}`;
}

function planCore(input: ServingMemoryInput): Core {
  const tp = input.tensorParallelSize;
  const blockSize = input.blockSize ?? 16;
  const problems: string[] = [];
  const kvBytesPerTokenPerGpu =
    2 *
    input.model.numLayers *
    kvHeadsPerGpu(input.model.numKvHeads, tp) *
    input.model.headDim *
    kvDtypeBytes(input);
  const totalBytes = input.gpu.memoryBytes;
  const budgetBytes = totalBytes * input.gpuMemoryUtilization;
  const weightBytes = estimateWeightBytes(input.model, input.modelDtype) / tp;
  const activationPeakBytes = estimateActivationPeakBytes(input);
  const nonTorchBytes = estimateNonTorchBytes(tp);
  const rawKv = budgetBytes - weightBytes - activationPeakBytes - nonTorchBytes;
  const kvCacheBytes = Math.max(0, Math.floor(rawKv));
  const blocks = Math.floor(kvCacheBytes / (kvBytesPerTokenPerGpu * blockSize));
  const kvCacheTokens = blocks * blockSize;
  const maxConcurrency = kvCacheTokens / input.maxModelLen;

  const divisibility = tpProblem(input.model.numKvHeads, tp);
  if (divisibility) problems.push(divisibility);
  const limit = input.model.maxPositionEmbeddings;
  if (limit !== undefined && input.maxModelLen > limit) {
    problems.push(
      `--max-model-len ${input.maxModelLen} is longer than the model's context of ${limit} tokens (max_position_embeddings); vLLM refuses it`,
    );
  }
  const weightsTooLarge = weightBytes >= budgetBytes;
  if (weightsTooLarge) {
    problems.push(
      `the weights need ${gib(
        weightBytes,
      )} per GPU at --tensor-parallel-size ${tp}, more than the ${gib(
        budgetBytes,
      )} budget (${gib(totalBytes)} × --gpu-memory-utilization ${
        input.gpuMemoryUtilization
      })`,
    );
  } else if (rawKv <= 0) {
    problems.push(
      `no memory is left for the KV cache: budget ${gib(
        budgetBytes,
      )} − weights ${gib(weightBytes)} − activations ${gib(
        activationPeakBytes,
      )} − non-torch ${gib(nonTorchBytes)} = ${gib(rawKv)} per GPU`,
    );
  } else if (kvCacheTokens < input.maxModelLen) {
    problems.push(
      `the KV cache holds ${fmt(kvCacheTokens)} tokens (${gib(
        kvCacheBytes,
      )} per GPU at ${fmt(
        kvBytesPerTokenPerGpu,
      )} B/token), fewer than one sequence of --max-model-len ${fmt(
        input.maxModelLen,
      )}; vLLM refuses to start`,
    );
  }
  if (totalBytes - budgetBytes < MIN_HEADROOM) {
    problems.push(
      `--gpu-memory-utilization ${input.gpuMemoryUtilization} leaves ${gib(
        totalBytes - budgetBytes,
      )} outside the budget; CUDA graph capture needs at least ${gib(
        MIN_HEADROOM,
      )} there — lower it`,
    );
  }
  return {
    plan: {
      kvBytesPerTokenPerGpu,
      perGpu: {
        totalBytes,
        budgetBytes,
        weightBytes,
        activationPeakBytes,
        nonTorchBytes,
        kvCacheBytes,
      },
      kvCacheTokens,
      maxConcurrency,
      fits: problems.length === 0,
      problems,
    },
    weightsTooLarge,
  };
}

/** A whole number with thousands separators, independent of the locale. */
export function fmt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes as GiB with two decimals. */
export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

interface Candidate {
  input: ServingMemoryInput;
  changes: string[];
  cost: number;
}

function candidates(input: ServingMemoryInput): Candidate[] {
  const out: Candidate[] = [];
  const tpLimit = input.maxTensorParallelSize ?? DEFAULT_TP_LIMIT;
  const tps = [1, 2, 4, 8, 16].filter(
    t => t >= input.tensorParallelSize && t <= tpLimit,
  );
  if (!tps.includes(input.tensorParallelSize))
    tps.unshift(input.tensorParallelSize);
  const kvs: Array<KvCacheDtype | undefined> =
    input.kvCacheDtype === 'fp8'
      ? [input.kvCacheDtype]
      : [input.kvCacheDtype, 'fp8'];
  const weightDtype = input.model.weightDtype ?? input.modelDtype ?? 'bfloat16';
  const canQuantize =
    input.model.weightBytes === undefined &&
    input.model.paramCount !== undefined &&
    DTYPE_BYTES[weightDtype] === 2;
  const weights: Array<WeightDtype | undefined> = canQuantize
    ? [input.model.weightDtype, 'fp8']
    : [input.model.weightDtype];
  const utils = [input.gpuMemoryUtilization];
  if (input.gpuMemoryUtilization < 0.95) utils.push(0.95);
  // The highest utilization that still leaves CUDA graphs their headroom.
  const total = input.gpu.memoryBytes;
  const ceiling = Math.floor(((total - MIN_HEADROOM) / total) * 100) / 100;
  if (ceiling > 0 && ceiling < input.gpuMemoryUtilization) utils.push(ceiling);
  for (const tp of tps) {
    if (tpProblem(input.model.numKvHeads, tp)) continue;
    for (const kv of kvs) {
      for (const w of weights) {
        for (const u of utils) {
          const changes: string[] = [];
          let cost = tp * 100;
          if (tp !== input.tensorParallelSize) {
            changes.push(
              `--tensor-parallel-size ${tp} (${tp} GPUs per replica)`,
            );
          }
          if (kv !== input.kvCacheDtype) {
            changes.push('--kv-cache-dtype fp8');
            cost += 2;
          }
          if (w !== input.model.weightDtype) {
            changes.push('fp8 weights (--quantization fp8)');
            cost += 3;
          }
          if (u !== input.gpuMemoryUtilization) {
            changes.push(`--gpu-memory-utilization ${u}`);
            cost += 1;
          }
          if (changes.length === 0) continue;
          out.push({
            input: {
              ...input,
              tensorParallelSize: tp,
              kvCacheDtype: kv,
              gpuMemoryUtilization: u,
              model: { ...input.model, weightDtype: w },
            },
            changes,
            cost,
          });
        }
      }
    }
  }
  return out.sort((a, b) => a.cost - b.cost);
}

function describeFit(plan: ServingMemoryPlan, maxModelLen: number): string {
  return `${fmt(
    plan.kvCacheTokens,
  )} KV-cache tokens, ${plan.maxConcurrency.toFixed(1)} sequences of ${fmt(
    maxModelLen,
  )} tokens at once`;
}

/** The longest context (a multiple of 1024, at least 1024) that fits as given, if any. */
function shorterContext(input: ServingMemoryInput): number | undefined {
  const { plan } = planCore({ ...input, maxModelLen: 1024 });
  if (!plan.fits) return undefined;
  const limit = input.model.maxPositionEmbeddings ?? Infinity;
  const len = Math.min(Math.floor(plan.kvCacheTokens / 1024) * 1024, limit);
  return len >= 1024 && len < input.maxModelLen ? len : undefined;
}

function nearestFit(input: ServingMemoryInput): string {
  const options: string[] = [];
  const fitting = candidates(input).filter(c => planCore(c.input).plan.fits);
  const describe = (c: Candidate) =>
    `${c.changes.join(' and ')}: ${describeFit(
      planCore(c.input).plan,
      input.maxModelLen,
    )}`;
  const best = fitting[0];
  if (best) options.push(describe(best));
  // Quantizing weights changes the model's outputs; also name the nearest fit without it.
  const sameWeights = fitting.find(
    c => c.input.model.weightDtype === input.model.weightDtype,
  );
  if (sameWeights && sameWeights !== best) {
    options.push(`${describe(sameWeights)} (weights unchanged)`);
  }
  const len = shorterContext(input);
  if (len !== undefined) {
    options.push(
      `keep ${
        input.tensorParallelSize
      } GPU(s) and shorten --max-model-len to ${fmt(len)}`,
    );
  }
  if (options.length === 0) {
    return `No configuration up to --tensor-parallel-size ${
      input.maxTensorParallelSize ?? DEFAULT_TP_LIMIT
    } fits on this GPU type: choose a GPU with more memory or a smaller or quantized model.`;
  }
  return `Nearest configuration that fits: ${options.join('; or ')}.`;
}

/**
 * Plans the GPU memory of one vLLM replica the way vLLM V1 will: what the weights, the
 * profiling run's activations and non-torch memory take from the budget, how many KV-cache
 * tokens are left, how many full-length sequences fit at once, and — when it does not fit —
 * why, and the nearest configuration that does.
 * @public
 */
export function planServingMemory(
  input: ServingMemoryInput,
): ServingMemoryPlan {
  validate(input);
  const { plan } = planCore(input);
  if (!plan.fits) {
    plan.problems.push(nearestFit(input));
  }
  return plan;
}
