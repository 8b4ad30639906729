/**
 * Pre-quantized dense checkpoints: fp8 (compressed-tensors, per-channel scales), int4 GPTQ
 * and AWQ (group 128). Architecture numbers are the base model's; the bytes per parameter of
 * each layout are in weights.ts.
 */
import {
  LLAMA_31_8B,
  LLAMA_33_70B,
  QWEN25_72B,
  QWEN25_7B,
  dense,
} from './denseModelPresets';
import type { ModelPreset } from './modelPresets';

export const QUANTIZED_MODEL_PRESETS: ModelPreset[] = [
  dense({
    id: 'llama-3.1-8b-instruct-fp8',
    displayName: 'Llama 3.1 8B Instruct FP8',
    huggingFaceId: 'RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8',
    weightDtype: 'fp8',
    ...LLAMA_31_8B,
  }),
  dense({
    id: 'llama-3.3-70b-instruct-fp8',
    displayName: 'Llama 3.3 70B Instruct FP8 (dynamic)',
    huggingFaceId: 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic',
    weightDtype: 'fp8',
    ...LLAMA_33_70B,
  }),
  dense({
    id: 'qwen2.5-7b-instruct-gptq-int4',
    displayName: 'Qwen2.5 7B Instruct GPTQ Int4',
    huggingFaceId: 'Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4',
    weightDtype: 'gptq-int4',
    ...QWEN25_7B,
  }),
  dense({
    id: 'qwen2.5-72b-instruct-awq',
    displayName: 'Qwen2.5 72B Instruct AWQ',
    huggingFaceId: 'Qwen/Qwen2.5-72B-Instruct-AWQ',
    weightDtype: 'awq-int4',
    ...QWEN25_72B,
    // The AWQ checkpoint pads the MLP to 29696 so that group-128 blocks split evenly over TP 8.
    intermediateSize: 29696,
    paramCount: 72_706_203_648 + 80 * 3 * 8192 * (29696 - 29568),
  }),
];
