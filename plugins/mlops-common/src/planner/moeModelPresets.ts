/**
 * Mixture-of-experts presets (Mixtral, Qwen3 MoE, gpt-oss) and multi-head latent attention
 * (DeepSeek-V3/R1). Numbers from each config.json (`source`).
 */
import { hfConfig } from './denseModelPresets';
import type { ModelPreset } from './modelPresets';

type Moe = Omit<
  ModelPreset,
  'dtype' | 'source' | 'attentionBias' | 'tieWordEmbeddings'
> &
  Partial<Pick<ModelPreset, 'attentionBias'>>;

const moe = (m: Moe): ModelPreset => ({
  dtype: 'bfloat16',
  attentionBias: false,
  tieWordEmbeddings: false,
  source: hfConfig(m.huggingFaceId),
  ...m,
});

const qwen3_30b = {
  family: 'moe' as const,
  numLayers: 48,
  numAttentionHeads: 32,
  numKvHeads: 4,
  headDim: 128,
  hiddenSize: 2048,
  vocabSize: 151936,
  moe: { numExperts: 128, topK: 8, expertIntermediateSize: 768 },
  paramCount: 30_532_122_624,
  maxPositionEmbeddings: 40960,
};
const qwen3_235b = {
  family: 'moe' as const,
  numLayers: 94,
  numAttentionHeads: 64,
  numKvHeads: 4,
  headDim: 128,
  hiddenSize: 4096,
  vocabSize: 151936,
  moe: { numExperts: 128, topK: 8, expertIntermediateSize: 1536 },
  paramCount: 235_093_634_560,
  maxPositionEmbeddings: 40960,
};
const gptOss = {
  family: 'moe' as const,
  numAttentionHeads: 64,
  numKvHeads: 8,
  headDim: 64,
  hiddenSize: 2880,
  vocabSize: 201088,
  attentionBias: true,
  weightDtype: 'mxfp4' as const,
  maxPositionEmbeddings: 131072,
  note: 'MXFP4 experts (attention, embeddings and routers in bf16); layers alternate between a 128-token sliding window and full attention, each with learned attention sinks (one scalar per head, no KV cache of their own).',
};
const deepseekV3 = {
  family: 'mla' as const,
  numLayers: 61,
  numAttentionHeads: 128,
  numKvHeads: 128,
  headDim: 192,
  hiddenSize: 7168,
  intermediateSize: 18432,
  vocabSize: 129280,
  moe: {
    numExperts: 256,
    topK: 8,
    expertIntermediateSize: 2048,
    sharedIntermediateSize: 2048,
    denseLayers: 3,
  },
  mla: {
    kvLoraRank: 512,
    qkRopeHeadDim: 64,
    qkNopeHeadDim: 128,
    vHeadDim: 128,
    qLoraRank: 1536,
  },
  weightDtype: 'fp8-block' as const,
  paramCount: 671_026_419_200,
  maxPositionEmbeddings: 163840,
  note: 'MLA caches one latent of kv_lora_rank + qk_rope_head_dim (576 values) per token per layer, the same on every TP rank; FlashMLA uses blocks of 64 tokens. The multi-token-prediction layer of the checkpoint is not loaded without speculative decoding.',
};

export const MOE_MODEL_PRESETS: ModelPreset[] = [
  moe({
    id: 'mixtral-8x7b-instruct-v0.1',
    displayName: 'Mixtral 8x7B Instruct v0.1',
    huggingFaceId: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
    family: 'moe',
    weightDtype: 'bfloat16',
    numLayers: 32,
    numAttentionHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 4096,
    vocabSize: 32000,
    moe: { numExperts: 8, topK: 2, expertIntermediateSize: 14336 },
    paramCount: 46_702_792_704,
    maxPositionEmbeddings: 32768,
  }),
  moe({
    id: 'qwen3-30b-a3b',
    displayName: 'Qwen3 30B-A3B',
    huggingFaceId: 'Qwen/Qwen3-30B-A3B',
    weightDtype: 'bfloat16',
    ...qwen3_30b,
  }),
  moe({
    id: 'qwen3-30b-a3b-fp8',
    displayName: 'Qwen3 30B-A3B FP8',
    huggingFaceId: 'Qwen/Qwen3-30B-A3B-FP8',
    weightDtype: 'fp8-block',
    ...qwen3_30b,
  }),
  moe({
    id: 'qwen3-235b-a22b',
    displayName: 'Qwen3 235B-A22B',
    huggingFaceId: 'Qwen/Qwen3-235B-A22B',
    weightDtype: 'bfloat16',
    ...qwen3_235b,
  }),
  moe({
    id: 'qwen3-235b-a22b-fp8',
    displayName: 'Qwen3 235B-A22B FP8',
    huggingFaceId: 'Qwen/Qwen3-235B-A22B-FP8',
    weightDtype: 'fp8-block',
    ...qwen3_235b,
  }),
  moe({
    id: 'gpt-oss-20b',
    displayName: 'gpt-oss-20b',
    huggingFaceId: 'openai/gpt-oss-20b',
    ...gptOss,
    numLayers: 24,
    moe: {
      numExperts: 32,
      topK: 4,
      expertIntermediateSize: 2880,
      expertBias: true,
    },
    slidingWindow: { window: 128, layers: 12 },
    paramCount: 20_914_757_184,
  }),
  moe({
    id: 'gpt-oss-120b',
    displayName: 'gpt-oss-120b',
    huggingFaceId: 'openai/gpt-oss-120b',
    ...gptOss,
    numLayers: 36,
    moe: {
      numExperts: 128,
      topK: 4,
      expertIntermediateSize: 2880,
      expertBias: true,
    },
    slidingWindow: { window: 128, layers: 18 },
    paramCount: 116_829_156_672,
  }),
  moe({
    id: 'deepseek-v3',
    displayName: 'DeepSeek-V3',
    huggingFaceId: 'deepseek-ai/DeepSeek-V3',
    ...deepseekV3,
  }),
  moe({
    id: 'deepseek-r1',
    displayName: 'DeepSeek-R1',
    huggingFaceId: 'deepseek-ai/DeepSeek-R1',
    ...deepseekV3,
  }),
];
