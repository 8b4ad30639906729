/**
 * The numbers of a model's `config.json` the planner reads. The first three are enough for the
 * KV cache; the weight layout (and so the per-GPU weights at any tensor-parallel size and
 * checkpoint format) needs the rest. Names follow the Hugging Face config fields.
 */

/**
 * How the checkpoint stores its linear layers (embeddings, norms and routers stay 16-bit):
 * `fp8` per-tensor or per-channel scales (compressed-tensors FP8, or `--quantization fp8`),
 * `fp8-block` 128×128 block scales (DeepSeek-V3, Qwen3-FP8), `awq-int4`/`gptq-int4`/`int4`
 * 4-bit with group-128 scales and zeros, `mxfp4` 4-bit experts with a shared 8-bit scale per
 * 32 values (gpt-oss). `int8` is W8A8 with per-channel scales.
 * @public
 */
export type WeightDtype =
  | 'bfloat16'
  | 'float16'
  | 'fp8'
  | 'fp8-block'
  | 'int8'
  | 'int4'
  | 'awq-int4'
  | 'gptq-int4'
  | 'mxfp4';

/** @public */
export type KvCacheDtype = 'auto' | 'bfloat16' | 'float16' | 'fp8';

/** Mixture-of-experts MLP (`num_experts`/`num_local_experts`, `moe_intermediate_size`, …). @public */
export interface MoeArchitecture {
  numExperts: number;
  /** Experts per token (`num_experts_per_tok`). */
  topK: number;
  /** Intermediate size of one expert. */
  expertIntermediateSize: number;
  /** Intermediate size of the shared expert(s) together (DeepSeek: n_shared × moe_intermediate_size). */
  sharedIntermediateSize?: number;
  /** Leading layers with a dense MLP of `intermediateSize` (DeepSeek's `first_k_dense_replace`). */
  denseLayers?: number;
  /** Experts carry biases (gpt-oss). */
  expertBias?: boolean;
}

/** Multi-head latent attention (DeepSeek-V2/V3/R1). @public */
export interface MlaArchitecture {
  kvLoraRank: number;
  qkRopeHeadDim: number;
  qkNopeHeadDim: number;
  vHeadDim: number;
  /** Absent: queries are projected directly (DeepSeek-V2-Lite). */
  qLoraRank?: number;
}

/** Layers that attend to a window of recent tokens only (Gemma 2/3, gpt-oss). @public */
export interface SlidingWindowLayers {
  /** Tokens in the window (`sliding_window`). */
  window: number;
  /** How many of `numLayers` use the window (the rest attend to the whole context). */
  layers: number;
}

/** The model as the planner sees it. @public */
export interface ModelArchitecture {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  numAttentionHeads?: number;
  hiddenSize?: number;
  /** Dense MLP intermediate size (also of MoE models' dense layers). */
  intermediateSize?: number;
  vocabSize?: number;
  /** Input and output embeddings share one matrix (Gemma, small Qwen and Llama models). */
  tieWordEmbeddings?: boolean;
  /** q/k/v projections carry a bias (Qwen2); gpt-oss has biases on every projection. */
  attentionBias?: boolean;
  moe?: MoeArchitecture;
  mla?: MlaArchitecture;
  slidingWindow?: SlidingWindowLayers;
  /** Parameters of a vision or audio encoder loaded next to the language model (bf16). */
  encoderParams?: number;
  /** Weight bytes of the whole model (all GPUs together); overrides the layout. */
  weightBytes?: number;
  /** Total parameters, for models given without a layout. */
  paramCount?: number;
  weightDtype?: WeightDtype;
  /** The model's context limit; a longer maxModelLen is refused as vLLM refuses it. */
  maxPositionEmbeddings?: number;
}

/** Whether the weight layout can be computed from the architecture alone. */
export function hasLayout(
  m: ModelArchitecture,
): m is ModelArchitecture &
  Required<
    Pick<ModelArchitecture, 'numAttentionHeads' | 'hiddenSize' | 'vocabSize'>
  > {
  return (
    m.numAttentionHeads !== undefined &&
    m.hiddenSize !== undefined &&
    m.vocabSize !== undefined &&
    (m.intermediateSize !== undefined || m.moe !== undefined)
  );
}
