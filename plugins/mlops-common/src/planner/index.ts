export { GIB, type Range } from './units';
export {
  VLLM_RELEASE,
  VLLM_IMAGE,
  vllmAccounting,
  type VllmAccounting,
} from './vllmRelease';
export type {
  KvCacheDtype,
  MlaArchitecture,
  ModelArchitecture,
  MoeArchitecture,
  SlidingWindowLayers,
  WeightDtype,
} from './modelArchitecture';
export { planServingMemory } from './planServingMemory';
export type {
  KvEstimate,
  ServingMemoryInput,
  ServingMemoryPlan,
  ServingVerdict,
} from './planCore';
export {
  activationPeakBytes,
  cudaGraphBytes,
  cudaGraphCaptureSizes,
  nonTorchBytes,
  vllmBatchDefaults,
  type ProfileShape,
} from './vllmMemoryModel';
export { kvHeadsPerGpu, weightBytesPerGpu } from './weights';
export { kvLayout, type KvGroup, type KvLayout } from './kvCacheLayout';
export {
  planServingTradeoffs,
  type ServingTradeoffs,
  type TradeoffPoint,
} from './tradeoffs';
export { plannedKvRange, type PlannedKvRange } from './planRange';
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
  servingFormTradeoffs,
  type ServingFormPlan,
} from './formPlan';
