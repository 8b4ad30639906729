import { GIB, fmt, gib } from '../planner/planServingMemory';
import type { ServingPlan } from './plan';
import type { ServingSpec } from './spec';

/** The plan as plain numbers, for the action's output and the repo's plan.json. @public */
export interface ServingPlanSummary {
  model: string;
  gpu: string;
  gpuResource: string;
  gpusPerReplica: number;
  tensorParallelSize: number;
  gpuMemoryUtilization: number;
  maxModelLen: number;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  kvCacheDtype: string;
  kvBytesPerTokenPerGpu: number;
  kvCacheTokens: number;
  maxConcurrency: number;
  perGpuGiB: {
    total: number;
    budget: number;
    weights: number;
    activationPeak: number;
    nonTorch: number;
    kvCache: number;
  };
  cacheSize: string;
  startupSeconds: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** @public */
export function summarizeServingPlan(
  spec: ServingSpec,
  plan: ServingPlan,
): ServingPlanSummary {
  const g = plan.memory.perGpu;
  return {
    model: plan.model.id,
    gpu: plan.gpu.id,
    gpuResource: plan.gpu.resourceName,
    gpusPerReplica: plan.gpu.mig ? 1 : spec.tensorParallelSize,
    tensorParallelSize: spec.tensorParallelSize,
    gpuMemoryUtilization: spec.gpuMemoryUtilization,
    maxModelLen: spec.maxModelLen,
    maxNumSeqs: plan.maxNumSeqs,
    maxNumBatchedTokens: spec.maxNumBatchedTokens,
    kvCacheDtype: spec.kvCacheDtype,
    kvBytesPerTokenPerGpu: plan.memory.kvBytesPerTokenPerGpu,
    kvCacheTokens: plan.memory.kvCacheTokens,
    maxConcurrency: round2(plan.memory.maxConcurrency),
    perGpuGiB: {
      total: round2(g.totalBytes / GIB),
      budget: round2(g.budgetBytes / GIB),
      weights: round2(g.weightBytes / GIB),
      activationPeak: round2(g.activationPeakBytes / GIB),
      nonTorch: round2(g.nonTorchBytes / GIB),
      kvCache: round2(g.kvCacheBytes / GIB),
    },
    cacheSize: plan.cacheSize,
    startupSeconds: plan.startupSeconds,
  };
}

/** The plan as a Markdown table: shown at the review step and in the repo's README. @public */
export function servingPlanMarkdown(
  spec: ServingSpec,
  plan: ServingPlan,
): string {
  const g = plan.memory.perGpu;
  const rows: Array<[string, string]> = [
    [
      'GPU',
      `${plan.gpu.displayName} (\`${plan.gpu.resourceName}\`), reports ${gib(
        g.totalBytes,
      )}`,
    ],
    [
      'GPUs per replica',
      `${plan.gpu.mig ? 1 : spec.tensorParallelSize} (--tensor-parallel-size ${
        spec.tensorParallelSize
      })`,
    ],
    [
      'Budget per GPU',
      `${gib(g.budgetBytes)} (${gib(g.totalBytes)} × --gpu-memory-utilization ${
        spec.gpuMemoryUtilization
      })`,
    ],
    ['Weights per GPU', gib(g.weightBytes)],
    [
      'Activation peak (profiling run, 8192-token batches)',
      gib(g.activationPeakBytes),
    ],
    ['Non-torch memory (CUDA context, NCCL)', gib(g.nonTorchBytes)],
    ['KV cache per GPU', gib(g.kvCacheBytes)],
    [
      'KV bytes per token per GPU',
      `${fmt(plan.memory.kvBytesPerTokenPerGpu)} B (${
        spec.kvCacheDtype === 'fp8' ? 'fp8' : plan.model.dtype
      })`,
    ],
    ['KV-cache tokens per replica', fmt(plan.memory.kvCacheTokens)],
    [
      `Sequences of ${fmt(spec.maxModelLen)} tokens at once`,
      plan.memory.maxConcurrency.toFixed(2),
    ],
    [
      '--max-num-seqs',
      `${plan.maxNumSeqs} (cache tokens / ${fmt(
        spec.typicalRequestTokens,
      )} typical request tokens, at most 256)`,
    ],
    ['Model cache', `${plan.cacheSize} PVC`],
    ['Startup budget', `${plan.startupSeconds} s`],
  ];
  return [
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ].join('\n');
}
