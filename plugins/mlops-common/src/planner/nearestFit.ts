/**
 * The nearest configuration that fits (at the low estimate), for refusals and borderline
 * plans: fewest GPUs first, then fewest changes; also the nearest that keeps the weights, and
 * the longest context on the same GPUs.
 */
import type { KvCacheDtype, WeightDtype } from './modelArchitecture';
import {
  MIN_HEADROOM,
  planCore,
  tpProblem,
  type ServingMemoryInput,
  type ServingMemoryPlan,
} from './planCore';
import { fmt } from './units';

const DEFAULT_TP_LIMIT = 8;
const SIXTEEN_BIT: Array<WeightDtype | undefined> = [
  undefined,
  'bfloat16',
  'float16',
];

interface Candidate {
  input: ServingMemoryInput;
  changes: string[];
  cost: number;
}

function utilizations(input: ServingMemoryInput): number[] {
  const utils = [input.gpuMemoryUtilization];
  if (input.gpuMemoryUtilization < 0.95) utils.push(0.95);
  // The highest utilization that still leaves the headroom outside the budget.
  const total = input.gpu.memoryBytes;
  const ceiling = Math.floor(((total - MIN_HEADROOM) / total) * 100) / 100;
  if (ceiling > 0 && ceiling < input.gpuMemoryUtilization) utils.push(ceiling);
  return utils;
}

function candidates(input: ServingMemoryInput): Candidate[] {
  const out: Candidate[] = [];
  const tpLimit = input.maxTensorParallelSize ?? DEFAULT_TP_LIMIT;
  const tps = [1, 2, 4, 8, 16].filter(
    t => t >= input.tensorParallelSize && t <= tpLimit,
  );
  if (!tps.includes(input.tensorParallelSize))
    tps.unshift(input.tensorParallelSize);
  const kvs: Array<KvCacheDtype | undefined> =
    input.kvCacheDtype === 'fp8'
      ? [input.kvCacheDtype]
      : [input.kvCacheDtype, 'fp8'];
  const dtype = input.model.weightDtype;
  const canQuantize =
    input.model.weightBytes === undefined && SIXTEEN_BIT.includes(dtype);
  const weights: Array<WeightDtype | undefined> = canQuantize
    ? [dtype, 'fp8']
    : [dtype];
  for (const tp of tps) {
    if (tpProblem(input.model, tp)) continue;
    for (const kv of kvs) {
      for (const w of weights) {
        for (const u of utilizations(input)) {
          const changes: string[] = [];
          let cost = tp * 100;
          if (tp !== input.tensorParallelSize) {
            changes.push(
              `--tensor-parallel-size ${tp} (${tp} GPUs per replica)`,
            );
          }
          if (kv !== input.kvCacheDtype) {
            changes.push('--kv-cache-dtype fp8');
            cost += 2;
          }
          if (w !== dtype) {
            changes.push('fp8 weights (--quantization fp8)');
            cost += 3;
          }
          if (u !== input.gpuMemoryUtilization) {
            changes.push(`--gpu-memory-utilization ${u}`);
            cost += 1;
          }
          if (changes.length === 0) continue;
          out.push({
            input: {
              ...input,
              tensorParallelSize: tp,
              kvCacheDtype: kv,
              gpuMemoryUtilization: u,
              model: { ...input.model, weightDtype: w },
            },
            changes,
            cost,
          });
        }
      }
    }
  }
  return out.sort((a, b) => a.cost - b.cost);
}

function describeFit(plan: ServingMemoryPlan, maxModelLen: number): string {
  return `${fmt(
    plan.kvCacheTokens,
  )} KV-cache tokens, ${plan.maxConcurrency.toFixed(1)} sequences of ${fmt(
    maxModelLen,
  )} tokens at once`;
}

/** The longest context (a multiple of 1024, at least 1024) that fits as given, if any. */
export function longestFittingContext(
  input: ServingMemoryInput,
): number | undefined {
  const limit = input.model.maxPositionEmbeddings ?? Infinity;
  const fits = (len: number) =>
    planCore({ ...input, maxModelLen: len }).plan.fits;
  if (!fits(1024)) return undefined;
  let lo = 1;
  let hi = Math.max(1, Math.floor(Math.min(limit, 1 << 20) / 1024));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid * 1024)) lo = mid;
    else hi = mid - 1;
  }
  return lo * 1024;
}

/** One sentence naming the nearest configurations that fit, or saying that none does. */
export function nearestFit(input: ServingMemoryInput): string {
  const options: string[] = [];
  const fitting = candidates(input).filter(c => planCore(c.input).plan.fits);
  const describe = (c: Candidate) =>
    `${c.changes.join(' and ')}: ${describeFit(
      planCore(c.input).plan,
      input.maxModelLen,
    )}`;
  const best = fitting[0];
  if (best) options.push(describe(best));
  // Quantizing weights changes the model's outputs; also name the nearest fit without it.
  const sameWeights = fitting.find(
    c => c.input.model.weightDtype === input.model.weightDtype,
  );
  if (sameWeights && sameWeights !== best) {
    options.push(`${describe(sameWeights)} (weights unchanged)`);
  }
  const len = longestFittingContext(input);
  if (len !== undefined && len < input.maxModelLen) {
    options.push(
      `keep ${
        input.tensorParallelSize
      } GPU(s) and shorten --max-model-len to ${fmt(len)}`,
    );
  }
  if (options.length === 0) {
    return `No configuration up to --tensor-parallel-size ${
      input.maxTensorParallelSize ?? DEFAULT_TP_LIMIT
    } fits on this GPU type: choose a GPU with more memory or a smaller or quantized model.`;
  }
  return `Nearest configuration that fits: ${options.join('; or ')}.`;
}
