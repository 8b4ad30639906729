/**
 * How vLLM turns the KV-cache budget into blocks and tokens (vllm/v1/core/kv_cache_utils.py,
 * vllm/v1/kv_cache_interface.py):
 * - Page = block_size × bytes per token of one layer: 2 (K and V) × KV heads per rank × head_dim
 *   × dtype bytes (`AttentionSpec.page_size_bytes`); for MLA one latent of kv_lora_rank +
 *   qk_rope_head_dim per token, the same on every rank (`MLAAttentionSpec`, num_kv_heads 1).
 * - Layers are grouped by attention type into groups of equal size, the smaller type's count,
 *   padding the last group of a type (`_get_kv_cache_groups_uniform_page_size`; the larger
 *   count when it is under 1.5× the smaller). One tensor per group position is shared by one
 *   layer of every group, so blocks = budget ÷ (page × group size)
 *   (`get_kv_cache_config_from_groups`).
 * - A request needs cdiv(max_model_len, block_size) blocks in a full-attention group and
 *   cdiv(min(window − 1 + max_num_batched_tokens, max_model_len), block_size) + 1 in a
 *   sliding-window group (`FullAttentionSpec`/`SlidingWindowSpec.max_memory_usage_bytes`);
 *   vLLM refuses to start when one request needs more than the pool
 *   (`_check_enough_kv_cache_memory`).
 * - Maximum concurrency = blocks ÷ blocks per request
 *   (`get_max_concurrency_for_kv_cache_config`); "GPU KV cache size" is concurrency ×
 *   max_model_len from v0.21.0 (`_report_kv_cache_config`), blocks ÷ groups × block_size
 *   before.
 */
import type { KvCacheDtype, ModelArchitecture } from './modelArchitecture';
import { kvHeadsPerGpu } from './weights';

/** One KV-cache group of the hybrid allocator. @public */
export interface KvGroup {
  kind: 'full' | 'sliding';
  window?: number;
}

/** The KV-cache layout of one rank. @public */
export interface KvLayout {
  blockSize: number;
  /** Bytes of one token of one layer. */
  tokenBytesPerLayer: number;
  pageBytes: number;
  /** Layers sharing one block (tensors in the pool). */
  groupSize: number;
  groups: KvGroup[];
  /** Bytes per token over all layers, as if every layer kept the whole context. */
  bytesPerToken: number;
}

/** Tokens per block of the attention backend vLLM picks: FlashMLA on Hopper wants 64. */
export function defaultBlockSize(m: ModelArchitecture): number {
  return m.mla ? 64 : 16;
}

export function kvDtypeBytes(kv: KvCacheDtype | undefined): number {
  // auto = the model's activation dtype; fp8 *weights* do not change it.
  return kv === 'fp8' ? 1 : 2;
}

function groupsOf(m: ModelArchitecture): {
  groupSize: number;
  groups: KvGroup[];
} {
  const sw = m.slidingWindow;
  if (!sw || sw.layers <= 0 || sw.layers >= m.numLayers) {
    const kind = sw && sw.layers >= m.numLayers ? 'sliding' : 'full';
    return {
      groupSize: m.numLayers,
      groups: [kind === 'full' ? { kind } : { kind, window: sw!.window }],
    };
  }
  const counts = [m.numLayers - sw.layers, sw.layers];
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const groupSize = max < min * 1.5 ? max : min;
  const groups: KvGroup[] = [
    ...Array.from({ length: Math.ceil(counts[0] / groupSize) }, () => ({
      kind: 'full' as const,
    })),
    ...Array.from({ length: Math.ceil(counts[1] / groupSize) }, () => ({
      kind: 'sliding' as const,
      window: sw.window,
    })),
  ];
  return { groupSize, groups };
}

/** @public */
export function kvLayout(
  m: ModelArchitecture,
  tp: number,
  kvCacheDtype: KvCacheDtype | undefined,
  blockSize: number = defaultBlockSize(m),
): KvLayout {
  const bytes = kvDtypeBytes(kvCacheDtype);
  const tokenBytesPerLayer = m.mla
    ? (m.mla.kvLoraRank + m.mla.qkRopeHeadDim) * bytes
    : 2 * kvHeadsPerGpu(m.numKvHeads, tp) * m.headDim * bytes;
  const { groupSize, groups } = groupsOf(m);
  return {
    blockSize,
    tokenBytesPerLayer,
    pageBytes: tokenBytesPerLayer * blockSize,
    groupSize,
    groups,
    bytesPerToken: tokenBytesPerLayer * m.numLayers,
  };
}

const cdiv = (a: number, b: number) => Math.ceil(a / b);

/** Blocks the pool holds for a KV budget of `bytes`. */
export function kvBlocks(layout: KvLayout, bytes: number): number {
  if (bytes <= 0) return 0;
  return Math.floor(bytes / (layout.pageBytes * layout.groupSize));
}

/** Blocks one request of `maxModelLen` tokens needs over all groups. */
export function blocksPerRequest(
  layout: KvLayout,
  maxModelLen: number,
  maxNumBatchedTokens: number,
): number {
  return layout.groups.reduce((sum, g) => {
    if (g.kind === 'full') return sum + cdiv(maxModelLen, layout.blockSize);
    const tokens = Math.min(g.window! - 1 + maxNumBatchedTokens, maxModelLen);
    return sum + cdiv(tokens, layout.blockSize) + 1;
  }, 0);
}

/** What "GPU KV cache size" will say for a pool of `blocks` blocks. */
export function reportedTokens(
  layout: KvLayout,
  blocks: number,
  maxModelLen: number,
  maxNumBatchedTokens: number,
  fromConcurrency: boolean,
): number {
  if (!fromConcurrency) {
    return Math.floor(blocks / layout.groups.length) * layout.blockSize;
  }
  const perRequest = blocksPerRequest(layout, maxModelLen, maxNumBatchedTokens);
  return Math.floor((blocks / perRequest) * maxModelLen);
}
