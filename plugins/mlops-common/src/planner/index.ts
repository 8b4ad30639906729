export {
  GIB,
  planServingMemory,
  estimateActivationPeakBytes,
  estimateNonTorchBytes,
  estimateWeightBytes,
  kvHeadsPerGpu,
  type KvCacheDtype,
  type ServingMemoryInput,
  type ServingMemoryPlan,
  type WeightDtype,
} from './planServingMemory';
export {
  MODEL_PRESETS,
  MODEL_PRESET_IDS,
  findModelPreset,
  type ModelPreset,
} from './modelPresets';
export {
  GPU_PRESETS,
  GPU_PRESET_IDS,
  findGpuPreset,
  type GpuPreset,
} from './gpuPresets';
export {
  chooseMaxNumSeqs,
  planPresetServing,
  presetPlanInput,
  MAX_NUM_SEQS_CAP,
  type PresetPlanInput,
} from './presetPlan';
export {
  planServingForm,
  servingFormPlanError,
  servingFormPlanSummary,
  type ServingFormPlan,
} from './formPlan';
