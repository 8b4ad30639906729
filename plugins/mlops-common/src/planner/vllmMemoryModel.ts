/**
 * vLLM V1's GPU memory accounting, term by term, with where each term comes from.
 * Release followed: see vllmRelease.ts; differences between releases are switches there.
 *
 * Per rank (vllm/v1/worker/gpu_worker.py `Worker.determine_available_memory`):
 *
 *   KV budget = requested − weights − torch peak increase − non-torch increase − CUDA graphs
 *
 * - requested = total × gpu_memory_utilization. `total` is cudaMemGetInfo's total, read by
 *   `MemorySnapshot` (vllm/utils/mem_utils.py) in `Worker.init_device` after the distributed
 *   environment (NCCL communicators, custom all-reduce IPC buffers) is up, so what those take at
 *   init sits in the baseline, not in the budget; it has to fit in the (1 − utilization) left.
 * - weights = `model_runner.model_memory_usage`, measured around `load_model`
 *   ("Model loading took …"); see weights.ts.
 * - torch peak increase = rise of `allocated_bytes.all.peak` over `profile_run`
 *   (`memory_profiling`, mem_utils.py). `GPUModelRunner.profile_run` does a forward pass over
 *   max_num_batched_tokens dummy tokens (`_dummy_run(max_num_tokens, is_profile=True)`) and then
 *   `_dummy_sampler_run` on the last hidden state of min(max_num_seqs, max_num_batched_tokens)
 *   requests, with top-k/top-p and logprobs enabled so the sampler's buffers reach their
 *   largest shape. The peak is the larger of the two, plus the hidden states the forward pass
 *   returned, which are alive while the sampler runs; the sampler's bytes per logit depend on
 *   the release's sampling kernels (vllmRelease.ts). The V2 runner, the default from v0.29.0
 *   (vllm/v1/worker/gpu/model_runner.py), runs the same two steps in its `profile_run`, its
 *   sampler on the rank's share of the requests (`shardsSamplerByTp`). See
 *   {@link activationPeakBytes}.
 * - non-torch increase = rise of (cudaMemGetInfo used − torch reserved) from the init snapshot
 *   to after the profiling run: cuBLAS/cuBLASLt workspaces, kernels loaded lazily
 *   (CUDA_MODULE_LOADING=LAZY) and, at TP > 1, NCCL buffers of the profiling run's
 *   all-reduces. The custom all-reduce IPC buffers (vllm/distributed/device_communicators/
 *   custom_all_reduce.py) are allocated when the TP group is built, before the snapshot, so
 *   they sit outside the budget. FlashInfer's all-reduce, on by default for TP from v0.29.0
 *   (vllm-project/vllm#52998), was not traced to where it allocates its workspace; the TP ≥ 2
 *   high end is set wide for it. See {@link nonTorchBytes}.
 * - CUDA graphs (from v0.21.0, `VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=1`, vllm/envs.py) =
 *   `GPUModelRunner.profile_cudagraph_memory`: for each graph mode it captures the two largest
 *   descriptors in a scratch pool; estimate = max over modes of the first capture + Σ over
 *   modes of the second capture's delta (at least 1 MiB) × (graphs of that mode − 1). With
 *   the default `FULL_AND_PIECEWISE`, PIECEWISE graphs are captured for every capture size and
 *   FULL decode graphs for sizes up to max_num_seqs. See {@link cudaGraphBytes}.
 * - The budget is cut into blocks (kvCacheLayout.ts). Nothing else is taken from it: the
 *   allocator's fragmentation is not counted (the peak is of allocated, not reserved, bytes),
 *   and the sampler warm-up and graph capture after the KV cache is allocated run in the memory
 *   left outside the budget.
 */
import { vllmAccounting } from './vllmRelease';
import type { ModelArchitecture } from './modelArchitecture';
import { GIB, MIB, type Range } from './units';

/** Spread of the forward pass's activation estimate (it is dominated by the sampler at 256+ requests). */
const FORWARD_SPREAD = { low: 0.7, high: 1.5 };
/**
 * Non-torch increase on one GPU, and at TP 2 with NCCL; each doubling of TP adds the step.
 * Middles are what vLLM logged on H100s ("Non-torch memory" 0.13–0.14 GiB at TP 1, 0.54–0.55
 * GiB at TP 2, llm-d-benchmark config_explorer/empirical-vllm-memory-results.md); the ends
 * are wider because CUDA, NCCL and the all-reduce backends differ between images and hosts.
 */
const NON_TORCH_TP1: Range = {
  low: 0.08 * GIB,
  middle: 0.13 * GIB,
  high: 0.35 * GIB,
};
const NON_TORCH_TP2: Range = {
  low: 0.3 * GIB,
  middle: 0.55 * GIB,
  high: 1.0 * GIB,
};
const NON_TORCH_STEP: Range = { low: 0, middle: 0.1 * GIB, high: 0.35 * GIB };
/**
 * First capture of the largest graph (beyond its forward activations), and each further
 * graph's delta (vLLM counts at least 1 MiB). Checked against "Estimated CUDA graph memory"
 * lines of v0.21+ logs (0.52 GiB for Qwen3-8B at PIECEWISE=51, FULL=35; LMCache/LMCache#3430).
 */
const GRAPH_FIRST: Range = {
  low: 0.05 * GIB,
  middle: 0.12 * GIB,
  high: 0.3 * GIB,
};
const GRAPH_EACH: Range = { low: 1 * MIB, middle: 4 * MIB, high: 8 * MIB };
/**
 * Multimodal models also profile their encoder on the largest dummy input and size an encoder
 * cache (`profile_run`'s multimodal part); not modelled, only allowed for.
 */
const ENCODER_ALLOWANCE: Range = { low: 0, middle: 0.2 * GIB, high: 0.8 * GIB };
const MAX_CAPTURE_SIZE = 512;
const DEFAULT_VOCAB = 152_064;

/** What the profiling run is sized by. @public */
export interface ProfileShape {
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  tensorParallelSize: number;
  /** Bytes of one activation element (2 for bf16/fp16). */
  activationBytes: number;
}

/**
 * vLLM's defaults for `vllm serve` when the flags are not given
 * (vllm/engine/arg_utils.py `EngineArgs.get_batch_defaults`): devices of 70 GiB or more other
 * than A100 get 8192 batched tokens and 1024 sequences, others 2048 and 256; max_num_seqs is
 * at most max_num_batched_tokens.
 *
 * @public
 */
export function vllmBatchDefaults(
  gpuMemoryBytes: number,
  gpuName = '',
): { maxNumBatchedTokens: number; maxNumSeqs: number } {
  const large = gpuMemoryBytes >= 70 * GIB && !/a100/i.test(gpuName);
  return large
    ? { maxNumBatchedTokens: 8192, maxNumSeqs: 1024 }
    : { maxNumBatchedTokens: 2048, maxNumSeqs: 256 };
}

function hiddenOf(m: ModelArchitecture): number {
  if (m.hiddenSize) return m.hiddenSize;
  if (m.paramCount) return Math.sqrt(m.paramCount / (12 * m.numLayers));
  return m.numKvHeads * m.headDim * 4;
}

/**
 * Activation bytes of one forward pass over `tokens` tokens at its widest point: the residual
 * and normed hidden state, the MLP's gate/up output and its activation (split over TP), and for
 * MoE layers the fused-MoE caches of every token's top-k experts (`fused_experts` keeps
 * T × top_k × (2·I + I) per rank and T × top_k × hidden for the combine).
 */
export function forwardActivationBytes(
  m: ModelArchitecture,
  tokens: number,
  shape: ProfileShape,
): number {
  const tp = shape.tensorParallelSize;
  const h = hiddenOf(m);
  const dense = 3 * ((m.intermediateSize ?? 3.5 * h) / tp);
  const moe = m.moe
    ? m.moe.topK * ((3 * m.moe.expertIntermediateSize) / tp + h)
    : 0;
  const attention = m.mla
    ? ((m.numAttentionHeads ?? 1) *
        (m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim + m.mla.vHeadDim)) /
      tp
    : (((m.numAttentionHeads ?? m.numKvHeads * 4) + 2 * m.numKvHeads) *
        m.headDim) /
      tp;
  const widest = Math.max(
    m.moe && !m.moe.denseLayers ? 0 : dense,
    moe,
    attention,
  );
  return tokens * shape.activationBytes * (2 * h + widest);
}

/** Torch peak increase of `profile_run` (see the module comment). @public */
export function activationPeakBytes(
  m: ModelArchitecture,
  shape: ProfileShape,
  release?: string,
): Range {
  const accounting = vllmAccounting(release);
  const sampler = accounting.samplerBytesPerLogit;
  const tokens = shape.maxNumBatchedTokens;
  const forward = forwardActivationBytes(m, tokens, shape);
  const rows = Math.min(shape.maxNumSeqs, tokens);
  const rowsAt = (k: keyof Range) =>
    accounting.shardsSamplerByTp && k !== 'high'
      ? Math.ceil(rows / shape.tensorParallelSize)
      : rows;
  const vocab = m.vocabSize ?? DEFAULT_VOCAB;
  const hiddenStates = tokens * hiddenOf(m) * shape.activationBytes;
  const encoder = m.encoderParams ? ENCODER_ALLOWANCE : undefined;
  const at = (k: keyof Range, spread: number) =>
    Math.max(forward * spread, rowsAt(k) * vocab * sampler[k] + hiddenStates) +
    (encoder?.[k] ?? 0);
  return {
    low: at('low', FORWARD_SPREAD.low),
    middle: at('middle', 1),
    high: at('high', FORWARD_SPREAD.high),
  };
}

/** Non-torch increase over the profiling run (see the module comment). @public */
export function nonTorchBytes(tp: number): Range {
  if (tp <= 1) return { ...NON_TORCH_TP1 };
  const doublings = Math.max(0, Math.log2(tp) - 1);
  const at = (k: keyof Range) =>
    NON_TORCH_TP2[k] + doublings * NON_TORCH_STEP[k];
  return { low: at('low'), middle: at('middle'), high: at('high') };
}

/**
 * CUDA graph capture sizes of the default compilation config: 1, 2, 4, then every 8 up to
 * 248, then every 16, up to min(2 × max_num_seqs, 512) and max_num_batched_tokens
 * (vllm/config/vllm.py `_set_cudagraph_sizes`).
 *
 * @public
 */
export function cudaGraphCaptureSizes(
  maxNumSeqs: number,
  maxNumBatchedTokens: number,
): number[] {
  const largest = Math.min(
    2 * maxNumSeqs,
    MAX_CAPTURE_SIZE,
    maxNumBatchedTokens,
  );
  const sizes = [1, 2, 4];
  for (let s = 8; s < 256; s += 8) sizes.push(s);
  for (let s = 256; s <= MAX_CAPTURE_SIZE; s += 16) sizes.push(s);
  return sizes.filter(s => s <= largest);
}

/** Graphs captured per mode: PIECEWISE for every size, FULL decode up to max_num_seqs. */
export function cudaGraphCounts(shape: ProfileShape): {
  piecewise: number;
  full: number;
} {
  const sizes = cudaGraphCaptureSizes(
    shape.maxNumSeqs,
    shape.maxNumBatchedTokens,
  );
  return {
    piecewise: sizes.length,
    full: sizes.filter(s => s <= shape.maxNumSeqs).length,
  };
}

/** The CUDA graph estimate taken from the budget (0 before v0.21.0; see the module comment). @public */
export function cudaGraphBytes(
  m: ModelArchitecture,
  shape: ProfileShape,
  release?: string,
): Range {
  if (!vllmAccounting(release).reservesCudaGraphMemory) {
    return { low: 0, middle: 0, high: 0 };
  }
  const { piecewise, full } = cudaGraphCounts(shape);
  const further = Math.max(0, piecewise - 1) + Math.max(0, full - 1);
  const largest = Math.min(2 * shape.maxNumSeqs, MAX_CAPTURE_SIZE);
  const forward = forwardActivationBytes(m, largest, shape);
  const at = (k: keyof Range, spread: number) =>
    GRAPH_FIRST[k] + forward * spread + further * GRAPH_EACH[k];
  return {
    low: at('low', 0),
    middle: at('middle', 1),
    high: at('high', FORWARD_SPREAD.high),
  };
}
