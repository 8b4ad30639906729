/**
 * Public vLLM start-up logs ("Available KV cache memory", "GPU KV cache size") with everything
 * the planner needs to plan the same server, and where each comes from. Test fixture only: the
 * planner's constants are not fitted per entry (calibration.test.ts checks the low estimate is
 * never above the logged pool, and the middle within 2% of the large ones).
 *
 * Deliberately absent: the llm-d-planner repository's accuracy sweep (held out for review), and
 * Mistral-Small-3.2-24B from the llm-d-benchmark set, a vision-language model whose logged
 * activation peak (2.12 GiB) is below what vLLM's own sampler defaults imply on an H100, so
 * some input of that run is not known.
 */
import { findModelPreset } from '../modelPresets';
import type { ModelArchitecture } from '../modelArchitecture';
import { GIB } from '../units';

export interface StartupLog {
  id: string;
  /** Hugging Face repository served. */
  model: string;
  architecture: ModelArchitecture;
  /** config.json the architecture numbers are copied from. */
  architectureSource: string;
  gpu: string;
  /** What the device reported to vLLM (cudaMemGetInfo total). */
  gpuMemoryBytes: number;
  gpuMemorySource: string;
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  blockSize: number;
  kvCacheDtype: 'auto' | 'fp8';
  vllmRelease: string;
  logged: {
    /** "Available KV cache memory" (GiB, two decimals). */
    availableKvGiB: number;
    /** "GPU KV cache size" when the source shows it. */
    tokens?: number;
    /** "Model loading took" (GiB) when the source shows it. */
    weightsGiB?: number;
  };
  /** Where the log is published. */
  source: string;
  /** How an input not printed in the log was determined. */
  note?: string;
}

const preset = (id: string): ModelArchitecture => {
  const p = findModelPreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
};
const presetSource = (id: string) => findModelPreset(id)!.source;

const QWEN3_06B: ModelArchitecture = {
  numLayers: 28,
  numAttentionHeads: 16,
  numKvHeads: 8,
  headDim: 128,
  hiddenSize: 1024,
  intermediateSize: 3072,
  vocabSize: 151936,
  tieWordEmbeddings: true,
  maxPositionEmbeddings: 40960,
};

const LLM_D =
  'https://github.com/llm-d/llm-d-benchmark/blob/main/config_explorer/empirical-vllm-memory-results.md';
/** "Free memory on device (78.57/79.18 GiB) on startup" in the same document. */
const H100 = {
  gpu: 'H100 80GB HBM3',
  gpuMemoryBytes: 79.18 * GIB,
  gpuMemorySource: `${LLM_D} ("Free memory on device (78.57/79.18 GiB) on startup")`,
};
/** The llm-d-benchmark pods: `vllm serve … --block-size=128 --max-model-len=16000`, vLLM 0.11.0. */
const LLM_D_RUN = {
  ...H100,
  vllmRelease: 'v0.11.0',
  blockSize: 128,
  maxModelLen: 16000,
  // vLLM's defaults on a ≥ 70 GiB non-A100 device (EngineArgs.get_batch_defaults).
  maxNumBatchedTokens: 8192,
  maxNumSeqs: 1024,
  kvCacheDtype: 'auto' as const,
  gpuMemoryUtilization: 0.9,
  tensorParallelSize: 1,
  source: LLM_D,
};

export const VLLM_STARTUP_LOGS: StartupLog[] = [
  {
    ...LLM_D_RUN,
    id: 'llama-3.1-8b-h100-tp1',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    architecture: preset('llama-3.1-8b-instruct'),
    architectureSource: presetSource('llama-3.1-8b-instruct'),
    logged: { availableKvGiB: 51.38, weightsGiB: 14.99 },
  },
  {
    ...LLM_D_RUN,
    id: 'qwen3-0.6b-h100-tp1-16k',
    model: 'Qwen/Qwen3-0.6B',
    architecture: QWEN3_06B,
    architectureSource:
      'https://huggingface.co/Qwen/Qwen3-0.6B/blob/main/config.json',
    logged: { availableKvGiB: 64.45, weightsGiB: 1.12 },
  },
  {
    ...LLM_D_RUN,
    id: 'qwen3-0.6b-h100-tp1-32k',
    model: 'Qwen/Qwen3-0.6B',
    architecture: QWEN3_06B,
    architectureSource:
      'https://huggingface.co/Qwen/Qwen3-0.6B/blob/main/config.json',
    maxModelLen: 32000,
    logged: { availableKvGiB: 64.45, weightsGiB: 1.12 },
  },
  {
    ...LLM_D_RUN,
    id: 'qwen3-32b-h100-tp1',
    model: 'Qwen/Qwen3-32B',
    architecture: preset('qwen3-32b'),
    architectureSource: presetSource('qwen3-32b'),
    logged: { availableKvGiB: 4.45, weightsGiB: 61.03 },
  },
  {
    ...LLM_D_RUN,
    id: 'qwen3-32b-h100-tp2',
    model: 'Qwen/Qwen3-32B',
    architecture: preset('qwen3-32b'),
    architectureSource: presetSource('qwen3-32b'),
    tensorParallelSize: 2,
    logged: { availableKvGiB: 34.49, weightsGiB: 30.59 },
  },
  {
    ...LLM_D_RUN,
    id: 'llama-3.3-70b-fp8-h100-tp2',
    model: 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic',
    architecture: preset('llama-3.3-70b-instruct-fp8'),
    architectureSource: presetSource('llama-3.3-70b-instruct-fp8'),
    tensorParallelSize: 2,
    logged: { availableKvGiB: 32.0, weightsGiB: 33.88 },
  },
  {
    ...LLM_D_RUN,
    id: 'gpt-oss-20b-h100-tp1',
    model: 'openai/gpt-oss-20b',
    architecture: preset('gpt-oss-20b'),
    architectureSource: presetSource('gpt-oss-20b'),
    logged: { availableKvGiB: 50.28, weightsGiB: 13.47 },
  },
  {
    ...LLM_D_RUN,
    id: 'gpt-oss-120b-h100-tp1',
    model: 'openai/gpt-oss-120b',
    architecture: preset('gpt-oss-120b'),
    architectureSource: presetSource('gpt-oss-120b'),
    gpuMemoryUtilization: 0.95,
    logged: { availableKvGiB: 3.33, weightsGiB: 64.38 },
    note: 'utilization not printed for this run; 0.95 is the only value for which its logged terms (64.38 + 7.38 + 0.13 + 3.33 GiB) add up to total × utilization',
  },
  {
    id: 'gpt-oss-20b-a100-tp1-128k',
    model: 'openai/gpt-oss-20b',
    architecture: preset('gpt-oss-20b'),
    architectureSource: presetSource('gpt-oss-20b'),
    gpu: 'A100 80GB',
    gpuMemoryBytes: 79.25 * GIB,
    gpuMemorySource:
      'https://github.com/levihsu/OOTDiffusion/issues/235 ("79.25 GiB total capacity" on an A100 80GB)',
    tensorParallelSize: 1,
    gpuMemoryUtilization: 0.65,
    maxModelLen: 131072,
    // vLLM's defaults on an A100 (EngineArgs.get_batch_defaults excludes A100 from the large ones).
    maxNumBatchedTokens: 2048,
    maxNumSeqs: 256,
    blockSize: 16,
    kvCacheDtype: 'auto',
    vllmRelease: 'v0.19.0',
    logged: { availableKvGiB: 36.56, weightsGiB: 13.72 },
    source: 'https://myoceane.fr/index.php/ai-vllm-a100-gemma-4/',
  },
  {
    id: 'qwen3-8b-rtx-a5000-tp1',
    model: 'Qwen/Qwen3-8B',
    architecture: preset('qwen3-8b'),
    architectureSource: presetSource('qwen3-8b'),
    gpu: 'RTX A5000 24GB',
    gpuMemoryBytes: 23.58 * GIB,
    gpuMemorySource:
      'https://github.com/vllm-project/vllm/issues/10517 ("total_gpu_memory=23.58GiB" on a 24 GB RTX 3090 with the same 24564 MiB board memory)',
    tensorParallelSize: 1,
    gpuMemoryUtilization: 0.9764,
    maxModelLen: 16384,
    // The LLM class's defaults on a < 70 GiB device (EngineArgs.get_batch_defaults).
    maxNumBatchedTokens: 8192,
    maxNumSeqs: 256,
    blockSize: 16,
    kvCacheDtype: 'auto',
    vllmRelease: 'v0.21.0',
    logged: { availableKvGiB: 6.37, tokens: 46368 },
    source: 'https://github.com/LMCache/LMCache/issues/3430',
    note: 'the device total is that of the same board memory on an RTX 3090; utilization 0.9764 as the worker printed it',
  },
];
