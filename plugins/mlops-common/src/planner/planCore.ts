/**
 * One plan of one replica, without suggestions: every term as a range (vllmMemoryModel.ts),
 * the KV budget at the low, middle and high end, and the verdict. Pure arithmetic.
 */
import {
  blocksPerRequest,
  kvBlocks,
  kvLayout,
  reportedTokens,
  type KvLayout,
} from './kvCacheLayout';
import type { KvCacheDtype, ModelArchitecture } from './modelArchitecture';
import { fmt, gib, GIB, type Range } from './units';
import {
  activationPeakBytes,
  cudaGraphBytes,
  nonTorchBytes,
  vllmBatchDefaults,
  type ProfileShape,
} from './vllmMemoryModel';
import { vllmAccounting } from './vllmRelease';
import { weightBytesPerGpu } from './weights';

/** Input of {@link planServingMemory}. @public */
export interface ServingMemoryInput {
  model: ModelArchitecture;
  /** `name` (e.g. "NVIDIA A100 80GB") selects vLLM's batch defaults, which exclude A100. */
  gpu: { memoryBytes: number; name?: string };
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number;
  /** Default: vLLM's default for the device (8192 on ≥ 70 GiB devices other than A100, else 2048). */
  maxNumBatchedTokens?: number;
  /** Requests of the profiling run's sampler; default vLLM's (1024 or 256 as above). */
  maxNumSeqs?: number;
  kvCacheDtype?: KvCacheDtype;
  modelDtype?: 'bfloat16' | 'float16';
  /** Default 16 (64 for MLA, FlashMLA's block). */
  blockSize?: number;
  /** Largest tensor-parallel size the suggestions may use (1 on a MIG slice); default 8. */
  maxTensorParallelSize?: number;
  /** The vLLM release to plan for; default the pinned one (VLLM_RELEASE). */
  vllmRelease?: string;
}

/** @public */
export type ServingVerdict = 'fits' | 'borderline' | 'does-not-fit';

/** The KV cache at one end of the range. @public */
export interface KvEstimate {
  kvCacheBytes: number;
  blocks: number;
  /** What vLLM's "GPU KV cache size" line would say. */
  tokens: number;
  /** Sequences of --max-model-len at once ("Maximum concurrency"). */
  maxConcurrency: number;
}

/** Result of {@link planServingMemory}. @public */
export interface ServingMemoryPlan {
  vllmRelease: string;
  /** fits: the low estimate holds one --max-model-len sequence; borderline: only the high one does. */
  verdict: ServingVerdict;
  /** verdict === 'fits'. */
  fits: boolean;
  /** KV bytes per token per GPU over all layers (as if every layer kept the whole context). */
  kvBytesPerTokenPerGpu: number;
  blockSize: number;
  /** Blocks one --max-model-len request needs over all KV-cache groups. */
  blocksPerRequest: number;
  /** Low estimate: the tokens the plan promises. */
  kvCacheTokens: number;
  /** Low estimate of full-length sequences at once. */
  maxConcurrency: number;
  estimates: { low: KvEstimate; middle: KvEstimate; high: KvEstimate };
  /** Where each GPU's memory goes, at the middle estimate. */
  perGpu: {
    totalBytes: number;
    budgetBytes: number;
    weightBytes: number;
    activationPeakBytes: number;
    nonTorchBytes: number;
    cudaGraphBytes: number;
    kvCacheBytes: number;
  };
  terms: {
    weights: Range;
    activationPeak: Range;
    nonTorch: Range;
    cudaGraph: Range;
  };
  /** The shape of vLLM's profiling run the plan assumed. */
  profile: { maxNumBatchedTokens: number; maxNumSeqs: number };
  /** Why vLLM would refuse (empty unless does-not-fit); the last names the nearest fit. */
  problems: string[];
  /** Why the verdict is borderline, and what would make it fit. */
  warnings: string[];
}

/** Headroom outside the budget that the CUDA context, graph capture and sampler warm-up need. */
export const MIN_HEADROOM = 0.5 * GIB;

export interface Core {
  plan: ServingMemoryPlan;
  layout: KvLayout;
  weightsTooLarge: boolean;
}

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

export function validate(input: ServingMemoryInput): void {
  const { model } = input;
  assertPositive('model.numLayers', model.numLayers, true);
  assertPositive('model.numKvHeads', model.numKvHeads, true);
  assertPositive('model.headDim', model.headDim, true);
  assertPositive('gpu.memoryBytes', input.gpu.memoryBytes);
  assertPositive('tensorParallelSize', input.tensorParallelSize, true);
  assertPositive('maxModelLen', input.maxModelLen, true);
  const u = input.gpuMemoryUtilization;
  if (!Number.isFinite(u) || u <= 0 || u > 1) {
    throw new RangeError(`gpuMemoryUtilization must be in (0, 1] (got ${u})`);
  }
  const layout =
    model.numAttentionHeads !== undefined &&
    model.hiddenSize !== undefined &&
    model.vocabSize !== undefined;
  if (
    model.weightBytes === undefined &&
    model.paramCount === undefined &&
    !layout
  ) {
    throw new RangeError('model needs weightBytes or paramCount');
  }
  if (model.weightBytes !== undefined)
    assertPositive('model.weightBytes', model.weightBytes);
  if (model.paramCount !== undefined)
    assertPositive('model.paramCount', model.paramCount);
  for (const key of [
    'maxNumBatchedTokens',
    'maxNumSeqs',
    'blockSize',
  ] as const) {
    if (input[key] !== undefined) assertPositive(key, input[key]!, true);
  }
  if (model.slidingWindow) {
    assertPositive(
      'model.slidingWindow.window',
      model.slidingWindow.window,
      true,
    );
  }
}

/** Why vLLM refuses this tensor-parallel size for the model, if it does. */
export function tpProblem(
  m: ModelArchitecture,
  tp: number,
): string | undefined {
  const heads = m.numAttentionHeads;
  if (heads !== undefined && heads % tp !== 0) {
    return `--tensor-parallel-size ${tp} does not divide the model's ${heads} attention heads; vLLM refuses it — use a divisor of ${heads}`;
  }
  if (!m.mla) {
    const kv = m.numKvHeads;
    const ok = tp <= kv ? kv % tp === 0 : tp % kv === 0;
    if (!ok) {
      return `--tensor-parallel-size ${tp} does not divide the model's ${kv} KV heads (nor do they divide it); vLLM refuses it — use a divisor or multiple of ${kv}`;
    }
  }
  if (m.weightDtype === 'fp8-block') {
    const sizes = [m.intermediateSize, m.moe?.expertIntermediateSize].filter(
      (s): s is number => s !== undefined,
    );
    const bad = sizes.find(s => (s / tp) % 128 !== 0);
    if (bad !== undefined) {
      return `--tensor-parallel-size ${tp} splits the intermediate size ${bad} into ${
        bad / tp
      } per GPU, not a multiple of the 128×128 fp8 weight blocks; vLLM refuses it — use a smaller tensor-parallel size`;
    }
  }
  return undefined;
}

export function profileShape(input: ServingMemoryInput): ProfileShape {
  const defaults = vllmBatchDefaults(input.gpu.memoryBytes, input.gpu.name);
  const maxNumBatchedTokens =
    input.maxNumBatchedTokens ?? defaults.maxNumBatchedTokens;
  return {
    maxNumBatchedTokens,
    maxNumSeqs: Math.min(
      input.maxNumSeqs ?? defaults.maxNumSeqs,
      maxNumBatchedTokens,
    ),
    tensorParallelSize: input.tensorParallelSize,
    activationBytes: 2,
  };
}

function estimate(
  layout: KvLayout,
  bytes: number,
  input: ServingMemoryInput,
  shape: ProfileShape,
  fromConcurrency: boolean,
): KvEstimate {
  const kvCacheBytes = Math.max(0, Math.floor(bytes));
  const blocks = kvBlocks(layout, kvCacheBytes);
  const perRequest = blocksPerRequest(
    layout,
    input.maxModelLen,
    shape.maxNumBatchedTokens,
  );
  return {
    kvCacheBytes,
    blocks,
    tokens: reportedTokens(
      layout,
      blocks,
      input.maxModelLen,
      shape.maxNumBatchedTokens,
      fromConcurrency,
    ),
    maxConcurrency: blocks / perRequest,
  };
}

function staticProblems(
  input: ServingMemoryInput,
  budgetBytes: number,
  weights: Range,
): string[] {
  const problems: string[] = [];
  const tp = input.tensorParallelSize;
  const divisibility = tpProblem(input.model, tp);
  if (divisibility) problems.push(divisibility);
  const limit = input.model.maxPositionEmbeddings;
  if (limit !== undefined && input.maxModelLen > limit) {
    problems.push(
      `--max-model-len ${input.maxModelLen} is longer than the model's context of ${limit} tokens (max_position_embeddings); vLLM refuses it`,
    );
  }
  if (weights.low >= budgetBytes) {
    problems.push(
      `the weights need ${gib(
        weights.middle,
      )} per GPU at --tensor-parallel-size ${tp}, more than the ${gib(
        budgetBytes,
      )} budget (${gib(input.gpu.memoryBytes)} × --gpu-memory-utilization ${
        input.gpuMemoryUtilization
      })`,
    );
  }
  const outside = input.gpu.memoryBytes - budgetBytes;
  if (outside < MIN_HEADROOM) {
    problems.push(
      `--gpu-memory-utilization ${input.gpuMemoryUtilization} leaves ${gib(
        outside,
      )} outside the budget; the CUDA context, CUDA graph capture and the sampler warm-up need at least ${gib(
        MIN_HEADROOM,
      )} there — lower it`,
    );
  }
  return problems;
}

function kvProblem(input: ServingMemoryInput, plan: ServingMemoryPlan): string {
  const high = plan.estimates.high;
  if (high.kvCacheBytes <= 0) {
    const t = plan.terms;
    return `no memory is left for the KV cache even at the high estimate: budget ${gib(
      plan.perGpu.budgetBytes,
    )} − weights ${gib(t.weights.low)} − activations ${gib(
      t.activationPeak.low,
    )} − non-torch ${gib(t.nonTorch.low)} − CUDA graphs ${gib(
      t.cudaGraph.low,
    )} per GPU`;
  }
  return `the KV cache holds at most ${fmt(high.tokens)} tokens (${gib(
    high.kvCacheBytes,
  )} per GPU at ${fmt(
    plan.kvBytesPerTokenPerGpu,
  )} B/token), less than one sequence of --max-model-len ${fmt(
    input.maxModelLen,
  )}; vLLM refuses to start`;
}

/** The term whose uncertainty costs the most tokens, for the borderline reason. */
function widestTerm(plan: ServingMemoryPlan): string {
  const names: Record<keyof ServingMemoryPlan['terms'], string> = {
    weights: 'weights',
    activationPeak: 'profiling-run activations',
    nonTorch: 'non-torch memory (NCCL, cuBLAS, kernels)',
    cudaGraph: 'CUDA graph memory',
  };
  const [key, range] = (
    Object.entries(plan.terms) as Array<[keyof typeof names, Range]>
  ).sort(([, a], [, b]) => b.high - b.middle - (a.high - a.middle))[0];
  return `${names[key]} may take up to ${gib(range.high)} (${gib(
    range.middle,
  )} expected)`;
}

function borderlineWarning(
  input: ServingMemoryInput,
  plan: ServingMemoryPlan,
): string {
  const { low, high } = plan.estimates;
  return `borderline: vLLM's KV cache will hold between ${fmt(
    low.tokens,
  )} and ${fmt(high.tokens)} tokens; one sequence of --max-model-len ${fmt(
    input.maxModelLen,
  )} fits only if the memory terms come out below their high estimates — ${widestTerm(
    plan,
  )}; vLLM may refuse to start`;
}

export function planCore(input: ServingMemoryInput): Core {
  const tp = input.tensorParallelSize;
  const accounting = vllmAccounting(input.vllmRelease);
  const shape = profileShape(input);
  const layout = kvLayout(input.model, tp, input.kvCacheDtype, input.blockSize);
  const totalBytes = input.gpu.memoryBytes;
  const budgetBytes = totalBytes * input.gpuMemoryUtilization;
  const terms = {
    weights: weightBytesPerGpu(input.model, tp, input.modelDtype),
    activationPeak: activationPeakBytes(input.model, shape, accounting.release),
    nonTorch: nonTorchBytes(tp),
    cudaGraph: cudaGraphBytes(input.model, shape, accounting.release),
  };
  const left = (k: keyof Range) =>
    budgetBytes -
    terms.weights[k] -
    terms.activationPeak[k] -
    terms.nonTorch[k] -
    terms.cudaGraph[k];
  const at = (bytes: number) =>
    estimate(
      layout,
      bytes,
      input,
      shape,
      accounting.reportsTokensFromConcurrency,
    );
  // The low KV estimate is what is left when every term is at its high end.
  const estimates = {
    low: at(left('high')),
    middle: at(left('middle')),
    high: at(left('low')),
  };
  const perRequest = blocksPerRequest(
    layout,
    input.maxModelLen,
    shape.maxNumBatchedTokens,
  );
  const problems = staticProblems(input, budgetBytes, terms.weights);
  let verdict: ServingVerdict = 'does-not-fit';
  if (problems.length === 0) {
    if (estimates.low.blocks >= perRequest) verdict = 'fits';
    else if (estimates.high.blocks >= perRequest) verdict = 'borderline';
  }
  const plan: ServingMemoryPlan = {
    vllmRelease: accounting.release,
    verdict,
    fits: verdict === 'fits',
    kvBytesPerTokenPerGpu: layout.bytesPerToken,
    blockSize: layout.blockSize,
    blocksPerRequest: perRequest,
    kvCacheTokens: estimates.low.tokens,
    maxConcurrency: estimates.low.maxConcurrency,
    estimates,
    perGpu: {
      totalBytes,
      budgetBytes,
      weightBytes: terms.weights.middle,
      activationPeakBytes: terms.activationPeak.middle,
      nonTorchBytes: terms.nonTorch.middle,
      cudaGraphBytes: terms.cudaGraph.middle,
      kvCacheBytes: estimates.middle.kvCacheBytes,
    },
    terms,
    profile: {
      maxNumBatchedTokens: shape.maxNumBatchedTokens,
      maxNumSeqs: shape.maxNumSeqs,
    },
    problems,
    warnings: [],
  };
  if (verdict === 'does-not-fit' && problems.length === 0) {
    problems.push(kvProblem(input, plan));
  }
  if (verdict === 'borderline')
    plan.warnings.push(borderlineWarning(input, plan));
  return { plan, layout, weightsTooLarge: terms.weights.low >= budgetBytes };
}
