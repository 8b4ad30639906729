import type { Range } from '../planner/units';
import { GIB, fmt, gib } from '../planner/units';
import type { ServingPlan } from './plan';
import type { ServingSpec } from './spec';

/** The plan as plain numbers, for the action's output and the repo's plan.json. @public */
export interface ServingPlanSummary {
  /** The vLLM release the plan is for (the rendered image runs it). */
  vllmRelease: string;
  /** fits: the low estimate holds a --max-model-len sequence; borderline: only the high one. */
  verdict: 'fits' | 'borderline';
  /** Why the plan is borderline, and what would make it fit; empty when it fits. */
  warnings: string[];
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
  /** Low estimate, what the plan promises. */
  kvCacheTokens: number;
  /** Low estimate of full-length sequences at once. */
  maxConcurrency: number;
  /** The KV cache at the low, middle and high estimate, as vLLM will log and export it. */
  kvCache: {
    blockSize: number;
    blocksPerRequest: number;
    blocks: Range;
    tokens: Range;
    maxConcurrency: Range;
  };
  /** Per GPU, at the middle estimate. */
  perGpuGiB: {
    total: number;
    budget: number;
    weights: number;
    activationPeak: number;
    nonTorch: number;
    cudaGraphs: number;
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
  const e = plan.memory.estimates;
  const range = (f: (k: 'low' | 'middle' | 'high') => number): Range => ({
    low: f('low'),
    middle: f('middle'),
    high: f('high'),
  });
  return {
    vllmRelease: plan.memory.vllmRelease,
    verdict: plan.verdict,
    warnings: plan.memory.warnings,
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
    kvCache: {
      blockSize: plan.memory.blockSize,
      blocksPerRequest: plan.memory.blocksPerRequest,
      blocks: range(k => e[k].blocks),
      tokens: range(k => e[k].tokens),
      maxConcurrency: range(k => round2(e[k].maxConcurrency)),
    },
    perGpuGiB: {
      total: round2(g.totalBytes / GIB),
      budget: round2(g.budgetBytes / GIB),
      weights: round2(g.weightBytes / GIB),
      activationPeak: round2(g.activationPeakBytes / GIB),
      nonTorch: round2(g.nonTorchBytes / GIB),
      cudaGraphs: round2(g.cudaGraphBytes / GIB),
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
  const { low, middle, high } = plan.memory.estimates;
  const rows: Array<[string, string]> = [
    [
      'Verdict',
      plan.verdict === 'fits'
        ? `fits at the low estimate (vLLM ${plan.memory.vllmRelease})`
        : `**borderline** (vLLM ${
            plan.memory.vllmRelease
          }): ${plan.memory.warnings.join(' ')}`,
    ],
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
      `Activation peak (profiling run, ${fmt(
        plan.memory.profile.maxNumBatchedTokens,
      )} tokens, sampler of ${plan.memory.profile.maxNumSeqs} requests)`,
      gib(g.activationPeakBytes),
    ],
    ['Non-torch memory (cuBLAS, kernels, NCCL)', gib(g.nonTorchBytes)],
    ['CUDA graph estimate', gib(g.cudaGraphBytes)],
    ['KV cache per GPU (expected)', gib(g.kvCacheBytes)],
    [
      'KV bytes per token per GPU',
      `${fmt(plan.memory.kvBytesPerTokenPerGpu)} B (${
        spec.kvCacheDtype === 'fp8' ? 'fp8' : plan.model.dtype
      })`,
    ],
    [
      'KV-cache tokens per replica (low / expected / high)',
      `${fmt(low.tokens)} / ${fmt(middle.tokens)} / ${fmt(high.tokens)}`,
    ],
    [
      `Sequences of ${fmt(
        spec.maxModelLen,
      )} tokens at once (low / expected / high)`,
      `${low.maxConcurrency.toFixed(2)} / ${middle.maxConcurrency.toFixed(
        2,
      )} / ${high.maxConcurrency.toFixed(2)}`,
    ],
    [
      '--max-num-seqs',
      `${plan.maxNumSeqs} (low estimate of cache tokens / ${fmt(
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
