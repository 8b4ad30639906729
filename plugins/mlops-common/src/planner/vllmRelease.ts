/**
 * The vLLM release the planner's memory model follows, and the image the serving renderer
 * pins, so that what is planned is what runs. The accounting of every term is written down
 * in `vllmMemoryModel.ts` with the source file and function it comes from; what differs
 * between releases is here.
 */
import type { Range } from './units';

/** The vLLM release the memory model follows. @public */
export const VLLM_RELEASE = 'v0.29.0';

/** vLLM's OpenAI-compatible server image of {@link VLLM_RELEASE} (entrypoint `vllm serve`). @public */
export const VLLM_IMAGE = `vllm/vllm-openai:${VLLM_RELEASE}`;

/** How a release divides GPU memory where releases differ. @public */
export interface VllmAccounting {
  release: string;
  /**
   * The CUDA-graph memory estimate is taken from the KV-cache budget: from v0.21.0
   * `VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS` defaults to 1 (vllm/envs.py; the worker logs
   * "CUDA graph memory profiling is enabled (default since v0.21.0)").
   */
  reservesCudaGraphMemory: boolean;
  /**
   * "GPU KV cache size" is max_concurrency × max_model_len, which counts sliding-window
   * groups by their window (vllm/v1/core/kv_cache_utils.py `_report_kv_cache_config`, from
   * v0.21.0, vllm-project/vllm#43308); before, blocks ÷ groups × block_size.
   */
  reportsTokensFromConcurrency: boolean;
  /**
   * Bytes per (request × vocabulary entry) at the peak of `_dummy_sampler_run`, which runs
   * the top-k/top-p sampler over max_num_seqs rows. The sampler's kernels changed between
   * releases (PyTorch sort, a Triton top-k/top-p kernel, FlashInfer's sampling kernels again
   * by default from vllm-project/vllm#40376), so the figure is measured per era from
   * published start-up logs whose other terms are known (see calibration/):
   * v0.11: 38.2–38.9 B on five models (llm-d-benchmark's per-term breakdowns);
   * v0.12–v0.20: 22.7 B (gpt-oss-20b, A100, v0.19.0);
   * v0.21+: at most 18.5 B (Qwen3-8B, RTX A5000, v0.21.0, where the forward pass is the
   * larger term), so the previous era's figure is the high end.
   */
  samplerBytesPerLogit: Range;
  /**
   * Each rank samples only its share of the requests: from v0.29.0 the V2 model runner
   * (vllm/v1/worker/gpu/model_runner.py) is the default (vllm-project/vllm#53183) and shards
   * the logits and the sampler along the batch over TP (vllm-project/vllm#50465). The high
   * end keeps the whole batch per rank, as the V1 runner still does where V2 falls back to it.
   */
  shardsSamplerByTp: boolean;
}

const RELEASE = /^v?(\d+)\.(\d+)(?:\.(\d+))?/;
/** The oldest release the model covers: the V1 worker measuring its profiling run from a snapshot. */
const OLDEST_MINOR = 11;

const SAMPLER_SORT: Range = { low: 36, middle: 38.5, high: 41 };
const SAMPLER_TRITON: Range = { low: 18, middle: 22.7, high: 30 };
const SAMPLER_FLASHINFER: Range = { low: 6, middle: 14, high: 22.7 };

/**
 * The accounting of a vLLM release such as "v0.19.0" (default {@link VLLM_RELEASE}); throws
 * RangeError for releases the model does not cover.
 * @public
 */
export function vllmAccounting(release: string = VLLM_RELEASE): VllmAccounting {
  const m = RELEASE.exec(release.trim());
  const major = Number(m?.[1]);
  const minor = Number(m?.[2]);
  if (!m || (major === 0 && minor < OLDEST_MINOR)) {
    throw new RangeError(
      `vLLM release must be v0.${OLDEST_MINOR}.0 or later, such as "${VLLM_RELEASE}" (got "${release}")`,
    );
  }
  const modern = major > 0 || minor >= 21;
  const runnerV2 = major > 0 || minor >= 29;
  let sampler = SAMPLER_FLASHINFER;
  if (!modern) sampler = minor <= 11 ? SAMPLER_SORT : SAMPLER_TRITON;
  return {
    release: `v${major}.${minor}.${m[3] ?? '0'}`,
    reservesCudaGraphMemory: modern,
    reportsTokensFromConcurrency: modern,
    samplerBytesPerLogit: { ...sampler },
    shardsSamplerByTp: runnerV2,
  };
}
