/**
 * Models the serving form offers, with the architecture numbers the planner needs. Every
 * number is copied from the model's `config.json` on Hugging Face (the `source` URL); the
 * parameter count is the safetensors total shown on the model page, and a test recomputes it
 * from the architecture to catch a mistyped field.
 */

/** @public */
export interface ModelPreset {
  /** Stable id used by the templates and specs. */
  id: string;
  displayName: string;
  /** Hugging Face repository of the checkpoint. */
  huggingFaceId: string;
  numLayers: number;
  numAttentionHeads: number;
  numKvHeads: number;
  headDim: number;
  hiddenSize: number;
  intermediateSize: number;
  vocabSize: number;
  tieWordEmbeddings: boolean;
  /** q/k/v projections carry a bias (Qwen2). */
  attentionBias: boolean;
  paramCount: number;
  dtype: 'bfloat16';
  maxPositionEmbeddings: number;
  /** Where the numbers come from. */
  source: string;
  /** What the planner does not model for this architecture, if anything. */
  note?: string;
}

const hf = (repo: string) =>
  `https://huggingface.co/${repo}/blob/main/config.json`;

/** @public */
export const MODEL_PRESETS: ReadonlyArray<ModelPreset> = [
  {
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
    dtype: 'bfloat16',
    maxPositionEmbeddings: 32768,
    source: hf('Qwen/Qwen2.5-0.5B-Instruct'),
  },
  {
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
    attentionBias: false,
    paramCount: 1_235_814_400,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 131072,
    source: hf('meta-llama/Llama-3.2-1B-Instruct'),
  },
  {
    id: 'llama-3-8b-instruct',
    displayName: 'Llama 3 8B Instruct',
    huggingFaceId: 'meta-llama/Meta-Llama-3-8B-Instruct',
    numLayers: 32,
    numAttentionHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 4096,
    intermediateSize: 14336,
    vocabSize: 128256,
    tieWordEmbeddings: false,
    attentionBias: false,
    paramCount: 8_030_261_248,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 8192,
    source: hf('meta-llama/Meta-Llama-3-8B-Instruct'),
  },
  {
    id: 'llama-3.1-8b-instruct',
    displayName: 'Llama 3.1 8B Instruct',
    huggingFaceId: 'meta-llama/Llama-3.1-8B-Instruct',
    numLayers: 32,
    numAttentionHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 4096,
    intermediateSize: 14336,
    vocabSize: 128256,
    tieWordEmbeddings: false,
    attentionBias: false,
    paramCount: 8_030_261_248,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 131072,
    source: hf('meta-llama/Llama-3.1-8B-Instruct'),
  },
  {
    id: 'llama-3-70b-instruct',
    displayName: 'Llama 3 70B Instruct',
    huggingFaceId: 'meta-llama/Meta-Llama-3-70B-Instruct',
    numLayers: 80,
    numAttentionHeads: 64,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 8192,
    intermediateSize: 28672,
    vocabSize: 128256,
    tieWordEmbeddings: false,
    attentionBias: false,
    paramCount: 70_553_706_496,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 8192,
    source: hf('meta-llama/Meta-Llama-3-70B-Instruct'),
  },
  {
    id: 'llama-3.1-70b-instruct',
    displayName: 'Llama 3.1 70B Instruct',
    huggingFaceId: 'meta-llama/Llama-3.1-70B-Instruct',
    numLayers: 80,
    numAttentionHeads: 64,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 8192,
    intermediateSize: 28672,
    vocabSize: 128256,
    tieWordEmbeddings: false,
    attentionBias: false,
    paramCount: 70_553_706_496,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 131072,
    source: hf('meta-llama/Llama-3.1-70B-Instruct'),
  },
  {
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
    tieWordEmbeddings: false,
    attentionBias: false,
    paramCount: 7_248_023_552,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 32768,
    source: hf('mistralai/Mistral-7B-Instruct-v0.3'),
  },
  {
    id: 'qwen2.5-7b-instruct',
    displayName: 'Qwen2.5 7B Instruct',
    huggingFaceId: 'Qwen/Qwen2.5-7B-Instruct',
    numLayers: 28,
    numAttentionHeads: 28,
    numKvHeads: 4,
    headDim: 128,
    hiddenSize: 3584,
    intermediateSize: 18944,
    vocabSize: 152064,
    tieWordEmbeddings: false,
    attentionBias: true,
    paramCount: 7_615_616_512,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 32768,
    source: hf('Qwen/Qwen2.5-7B-Instruct'),
  },
  {
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
    tieWordEmbeddings: false,
    attentionBias: true,
    paramCount: 14_770_033_664,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 32768,
    source: hf('Qwen/Qwen2.5-14B-Instruct'),
  },
  {
    id: 'qwen2.5-72b-instruct',
    displayName: 'Qwen2.5 72B Instruct',
    huggingFaceId: 'Qwen/Qwen2.5-72B-Instruct',
    numLayers: 80,
    numAttentionHeads: 64,
    numKvHeads: 8,
    headDim: 128,
    hiddenSize: 8192,
    intermediateSize: 29568,
    vocabSize: 152064,
    tieWordEmbeddings: false,
    attentionBias: true,
    paramCount: 72_706_203_648,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 32768,
    source: hf('Qwen/Qwen2.5-72B-Instruct'),
  },
  {
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
    tieWordEmbeddings: false,
    attentionBias: false,
    paramCount: 14_659_507_200,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 16384,
    source: hf('microsoft/phi-4'),
  },
  {
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
    attentionBias: false,
    paramCount: 9_241_705_984,
    dtype: 'bfloat16',
    maxPositionEmbeddings: 8192,
    source: hf('google/gemma-2-9b-it'),
    note: 'head_dim is 256 (not hidden/heads); half the layers use a 4096-token sliding window, which the planner counts as full attention (fewer tokens than vLLM may report, never more).',
  },
];

/** Ids of {@link MODEL_PRESETS}, for enums in forms and schemas. @public */
export const MODEL_PRESET_IDS = MODEL_PRESETS.map(m => m.id) as [
  string,
  ...string[],
];

/** The preset with this id, or undefined. @public */
export function findModelPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find(m => m.id === id);
}

/** Parameters implied by a preset's architecture (dense decoder with a gated MLP). */
export function architectureParamCount(m: ModelPreset): number {
  const q = m.hiddenSize * m.numAttentionHeads * m.headDim;
  const kv = 2 * m.hiddenSize * m.numKvHeads * m.headDim;
  const o = m.numAttentionHeads * m.headDim * m.hiddenSize;
  const bias = m.attentionBias
    ? (m.numAttentionHeads + 2 * m.numKvHeads) * m.headDim
    : 0;
  const mlp = 3 * m.hiddenSize * m.intermediateSize;
  // Gemma 2 has four norms per layer, the others two; norms are a rounding error either way.
  const norms = 2 * m.hiddenSize;
  const layer = q + kv + o + bias + mlp + norms;
  const embeddings = m.vocabSize * m.hiddenSize * (m.tieWordEmbeddings ? 1 : 2);
  return m.numLayers * layer + embeddings + m.hiddenSize;
}
