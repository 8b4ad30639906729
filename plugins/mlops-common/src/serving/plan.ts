import type { GpuPreset } from '../planner/gpuPresets';
import type { ModelPreset } from '../planner/modelPresets';
import type { ServingMemoryPlan } from '../planner/planCore';
import { planServingMemory } from '../planner/planServingMemory';
import { chooseMaxNumSeqs, presetPlanInput } from '../planner/presetPlan';
import { GIB } from '../planner/units';
import { weightBytesPerGpu } from '../planner/weights';
import { SpecValidationError } from '../render/validation';
import {
  parseServingSpec,
  type ServingSpec,
  type ServingSpecInput,
} from './spec';

/** The numbers a serving repo is rendered from, and why. @public */
export interface ServingPlan {
  memory: ServingMemoryPlan;
  model: ModelPreset;
  gpu: GpuPreset;
  /** fits, or borderline (rendered, with the reason in `memory.warnings`). */
  verdict: 'fits' | 'borderline';
  /** --max-num-seqs (given, or chosen from the low KV-cache estimate). */
  maxNumSeqs: number;
  /** Weights of the whole model as loaded (after fp8 quantization, if any). */
  weightBytes: number;
  /** Size of the model cache PVC. */
  cacheSize: string;
  /** Seconds the startup probe allows for loading weights and warm-up. */
  startupSeconds: number;
  /** CPU and memory requests of the server pod. */
  cpuRequest: string;
  memoryRequest: string;
}

/** Thrown when the planner says the configuration does not fit; `problems` field `plan`. @public */
export class ServingPlanError extends SpecValidationError {
  readonly plan: ServingMemoryPlan;
  constructor(plan: ServingMemoryPlan) {
    super(
      'serving configuration (it does not fit in GPU memory)',
      plan.problems.map(message => ({ field: 'plan', message })),
    );
    this.name = 'ServingPlanError';
    this.plan = plan;
  }
}

/** Sustained weight read rate assumed for the startup probe (page cache or PVC), bytes/s. */
const LOAD_BYTES_PER_SECOND = 250 * 1024 ** 2;
/** torch.compile, CUDA graph capture and the profiling run, on top of loading. */
const WARMUP_SECONDS = 300;

function roundUpGi(bytes: number, step = 1): number {
  return Math.ceil(bytes / GIB / step) * step;
}

/**
 * Plans a validated serving spec: the GPU memory plan of one replica (throws
 * {@link ServingPlanError} with the planner's problems when it does not fit; a borderline plan
 * is returned, its reason in `memory.warnings`), --max-num-seqs from the low estimate,
 * the cache size and the startup budget.
 * @public
 */
export function planServing(
  input: ServingSpecInput | ServingSpec,
): ServingPlan {
  const spec = parseServingSpec(input);
  const planInput = {
    model: spec.model,
    gpu: spec.gpu,
    tensorParallelSize: spec.tensorParallelSize,
    gpuMemoryUtilization: spec.gpuMemoryUtilization,
    maxModelLen: spec.maxModelLen,
    maxNumBatchedTokens: spec.maxNumBatchedTokens,
    kvCacheDtype: spec.kvCacheDtype,
    quantization: spec.quantization,
    maxNumSeqs: spec.maxNumSeqs,
  };
  const { memory: memoryInput, model, gpu } = presetPlanInput(planInput);
  const memory = planServingMemory(memoryInput);
  if (memory.verdict === 'does-not-fit') {
    throw new ServingPlanError(memory);
  }
  const maxNumSeqs =
    spec.maxNumSeqs ?? chooseMaxNumSeqs(memory, spec.typicalRequestTokens);
  // The checkpoint on disk is bf16 even when vLLM quantizes it to fp8 at load time.
  const checkpointBytes = weightBytesPerGpu(
    { ...memoryInput.model, weightDtype: model.weightDtype },
    1,
  ).low;
  const weightBytes = weightBytesPerGpu(memoryInput.model, 1).middle;
  const cacheSize =
    spec.cache.size ?? `${roundUpGi(checkpointBytes * 1.2 + 10 * GIB, 10)}Gi`;
  const streamed = spec.loadFormat === 'runai_streamer' ? 2 : 1;
  const startupSeconds = Math.min(
    3600,
    WARMUP_SECONDS +
      Math.ceil(
        (checkpointBytes / LOAD_BYTES_PER_SECOND / spec.tensorParallelSize) *
          streamed,
      ),
  );
  const cpu = spec.cpu ?? String(Math.min(32, 4 + 2 * spec.tensorParallelSize));
  // Host memory for the tokenizer, the API server and safetensors pages in flight.
  const memoryRequest =
    spec.memory ??
    `${Math.max(32, roundUpGi(checkpointBytes / 2 + 16 * GIB, 8))}Gi`;
  return {
    memory,
    verdict: memory.verdict,
    model,
    gpu,
    maxNumSeqs,
    weightBytes,
    cacheSize,
    startupSeconds,
    cpuRequest: cpu,
    memoryRequest,
  };
}
