/** Dense grouped-query-attention presets in bf16 (Llama 3.x, Qwen2.5/Qwen3, Mistral, Phi, Gemma). */
import type { ModelPreset } from './modelPresets';

/** The config.json of a Hugging Face repository. */
export const hfConfig = (repo: string) =>
  `https://huggingface.co/${repo}/blob/main/config.json`;

type Dense = Omit<
  ModelPreset,
  | 'family'
  | 'dtype'
  | 'weightDtype'
  | 'source'
  | 'attentionBias'
  | 'tieWordEmbeddings'
> &
  Partial<
    Pick<ModelPreset, 'attentionBias' | 'tieWordEmbeddings' | 'weightDtype'>
  >;

export const dense = (m: Dense): ModelPreset => ({
  family: 'dense',
  dtype: 'bfloat16',
  weightDtype: 'bfloat16',
  attentionBias: false,
  tieWordEmbeddings: false,
  source: hfConfig(m.huggingFaceId),
  ...m,
});

const llama8b = {
  numLayers: 32,
  numAttentionHeads: 32,
  numKvHeads: 8,
  headDim: 128,
  hiddenSize: 4096,
  intermediateSize: 14336,
  vocabSize: 128256,
  paramCount: 8_030_261_248,
};
const llama70b = {
  numLayers: 80,
  numAttentionHeads: 64,
  numKvHeads: 8,
  headDim: 128,
  hiddenSize: 8192,
  intermediateSize: 28672,
  vocabSize: 128256,
  paramCount: 70_553_706_496,
};
export const QWEN25_7B = {
  numLayers: 28,
  numAttentionHeads: 28,
  numKvHeads: 4,
  headDim: 128,
  hiddenSize: 3584,
  intermediateSize: 18944,
  vocabSize: 152064,
  attentionBias: true,
  paramCount: 7_615_616_512,
  maxPositionEmbeddings: 32768,
};
export const QWEN25_72B = {
  numLayers: 80,
  numAttentionHeads: 64,
  numKvHeads: 8,
  headDim: 128,
  hiddenSize: 8192,
  intermediateSize: 29568,
  vocabSize: 152064,
  attentionBias: true,
  paramCount: 72_706_203_648,
  maxPositionEmbeddings: 32768,
};
export const LLAMA_31_8B = { ...llama8b, maxPositionEmbeddings: 131072 };
export const LLAMA_33_70B = { ...llama70b, maxPositionEmbeddings: 131072 };

export const DENSE_MODEL_PRESETS: ModelPreset[] = [
  dense({
    id: 'qwen2.5-0.5b-instruct',
    displayName: 'Qwen2.5 0.5B Instruct',
    huggingFaceId: 'Qwen/Qwen2.5-0.5B-Instruct',
    numLayers: 24,
    numAttentionHeads: 14,
    numKvHeads: 2,
    headDim: 64,
    hiddenSize: 896,
    intermediateSize: 4864,
    vocabSize: 151936,
    tieWordEmbeddings: true,
    attentionBias: true,
    paramCount: 494_032_768,
    maxPositionEmbeddings: 32768,
  }),
  dense({
    id: 'llama-3.2-1b-instruct',
    displayName: 'Llama 3.2 1B Instruct',
    huggingFaceId: 'meta-llama/Llama-3.2-1B-Instruct',
    numLayers: 16,
    numAttentionHeads: 32,
    numKvHeads: 8,
    headDim: 64,
    hiddenSize: 2048,
    intermediateSize: 8192,
    vocabSize: 128256,
    tieWordEmbeddings: true,
    paramCount: 1_235_814_400,
    maxPositionEmbeddings: 131072,
  }),
  dense({
    id: 'llama-3-8b-instruct',
    displayName: 'Llama 3 8B Instruct',
    huggingFaceId: 'meta-llama/Meta-Llama-3-8B-Instruct',
    ...llama8b,
    maxPositionEmbeddings: 8192,
  }),
  dense({
    id: 'llama-3.1-8b-instruct',
    displayName: 'Llama 3.1 8B Instruct',
    huggingFaceId: 'meta-llama/Llama-3.1-8B-Instruct',
    ...LLAMA_31_8B,
  }),
  dense({
    id: 'llama-3-70b-instruct',
    displayName: 'Llama 3 70B Instruct',
    huggingFaceId: 'meta-llama/Meta-Llama-3-70B-Instruct',
    ...llama70b,
    maxPositionEmbeddings: 8192,
  }),
  dense({
    id: 'llama-3.1-70b-instruct',
    displayName: 'Llama 3.1 70B Instruct',
    huggingFaceId: 'meta-llama/Llama-3.1-70B-Instruct',
    ...LLAMA_33_70B,
  }),
  dense({
    id: 'llama-3.3-70b-instruct',
    displayName: 'Llama 3.3 70B Instruct',
    huggingFaceId: 'meta-llama/Llama-3.3-70B-Instruct',
    ...LLAMA_33_70B,
  }),
  dense({
    id: 'mistral-7b-instruct-v0.3',
    displayName: 'Mistral 7B Instruct v0.3',
    huggingFaceId: 'mistralai/Mistral-7B-Instruct-v0.3',
    numLayers: 32,
    numAttentionHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 4096,
    intermediateSize: 14336,
    vocabSize: 32768,
    paramCount: 7_248_023_552,
    maxPositionEmbeddings: 32768,
  }),
  dense({
    id: 'qwen2.5-7b-instruct',
    displayName: 'Qwen2.5 7B Instruct',
    huggingFaceId: 'Qwen/Qwen2.5-7B-Instruct',
    ...QWEN25_7B,
  }),
  dense({
    id: 'qwen2.5-14b-instruct',
    displayName: 'Qwen2.5 14B Instruct',
    huggingFaceId: 'Qwen/Qwen2.5-14B-Instruct',
    numLayers: 48,
    numAttentionHeads: 40,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 5120,
    intermediateSize: 13824,
    vocabSize: 152064,
    attentionBias: true,
    paramCount: 14_770_033_664,
    maxPositionEmbeddings: 32768,
  }),
  dense({
    id: 'qwen2.5-72b-instruct',
    displayName: 'Qwen2.5 72B Instruct',
    huggingFaceId: 'Qwen/Qwen2.5-72B-Instruct',
    ...QWEN25_72B,
  }),
  dense({
    id: 'qwen3-8b',
    displayName: 'Qwen3 8B',
    huggingFaceId: 'Qwen/Qwen3-8B',
    numLayers: 36,
    numAttentionHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 4096,
    intermediateSize: 12288,
    vocabSize: 151936,
    paramCount: 8_190_735_360,
    maxPositionEmbeddings: 40960,
  }),
  dense({
    id: 'qwen3-32b',
    displayName: 'Qwen3 32B',
    huggingFaceId: 'Qwen/Qwen3-32B',
    numLayers: 64,
    numAttentionHeads: 64,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 5120,
    intermediateSize: 25600,
    vocabSize: 151936,
    paramCount: 32_762_123_264,
    maxPositionEmbeddings: 40960,
  }),
  dense({
    id: 'phi-4',
    displayName: 'Phi-4 (14B)',
    huggingFaceId: 'microsoft/phi-4',
    numLayers: 40,
    numAttentionHeads: 40,
    numKvHeads: 10,
    headDim: 128,
    hiddenSize: 5120,
    intermediateSize: 17920,
    vocabSize: 100352,
    paramCount: 14_659_507_200,
    maxPositionEmbeddings: 16384,
  }),
  dense({
    id: 'gemma-2-9b-it',
    displayName: 'Gemma 2 9B Instruct',
    huggingFaceId: 'google/gemma-2-9b-it',
    numLayers: 42,
    numAttentionHeads: 16,
    numKvHeads: 8,
    headDim: 256,
    hiddenSize: 3584,
    intermediateSize: 14336,
    vocabSize: 256000,
    tieWordEmbeddings: true,
    paramCount: 9_241_705_984,
    maxPositionEmbeddings: 8192,
    slidingWindow: { window: 4096, layers: 21 },
    note: "head_dim is 256 (not hidden/heads); every other layer attends to a 4096-token window, which vLLM's hybrid allocator keeps in its own KV-cache group.",
  }),
  dense({
    id: 'gemma-3-27b-it',
    displayName: 'Gemma 3 27B Instruct',
    huggingFaceId: 'google/gemma-3-27b-it',
    numLayers: 62,
    numAttentionHeads: 32,
    numKvHeads: 16,
    headDim: 128,
    hiddenSize: 5376,
    intermediateSize: 21504,
    vocabSize: 262208,
    tieWordEmbeddings: true,
    paramCount: 27_432_406_640,
    // The SigLIP-So400m tower and projector of vision_config, about 0.42B parameters.
    encoderParams: 420_000_000,
    maxPositionEmbeddings: 131072,
    slidingWindow: { window: 1024, layers: 52 },
    note: 'text_config of a vision-language checkpoint: five of every six layers attend to a 1024-token window (sliding_window_pattern 6); the SigLIP vision tower is counted in the weights, its profiling run as an allowance only.',
  }),
];
