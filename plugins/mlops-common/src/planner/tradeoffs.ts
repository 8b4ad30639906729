/**
 * The trade-offs a user chooses in, for the plan's chart: how many full-length sequences fit
 * at once (low/middle/high) as the context grows, and as the memory utilization changes.
 */
import {
  planCore,
  validate,
  type ServingMemoryInput,
  type ServingVerdict,
} from './planCore';

/** One point of a trade-off curve. @public */
export interface TradeoffPoint {
  /** The value on the x axis: --max-model-len or --gpu-memory-utilization. */
  x: number;
  low: number;
  middle: number;
  high: number;
  verdict: ServingVerdict;
}

/** @public */
export interface ServingTradeoffs {
  /** Concurrency against --max-model-len at the chosen utilization. */
  byContextLength: TradeoffPoint[];
  /** Concurrency against --gpu-memory-utilization at the chosen context length. */
  byUtilization: TradeoffPoint[];
  chosen: { maxModelLen: number; gpuMemoryUtilization: number };
}

const UTILIZATIONS = [
  0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98,
];

function point(input: ServingMemoryInput, x: number): TradeoffPoint {
  const { plan } = planCore(input);
  const c = (k: 'low' | 'middle' | 'high') =>
    Math.round(plan.estimates[k].maxConcurrency * 100) / 100;
  return {
    x,
    low: c('low'),
    middle: c('middle'),
    high: c('high'),
    verdict: plan.verdict,
  };
}

/** Context lengths from 2,048 doubling up to the model's limit (or 1M), with the chosen one. */
function contextLengths(input: ServingMemoryInput): number[] {
  const limit = Math.min(input.model.maxPositionEmbeddings ?? 1 << 20, 1 << 20);
  const lengths = new Set<number>([input.maxModelLen]);
  for (let len = 2048; len <= limit; len *= 2) lengths.add(len);
  if (limit >= 2048) lengths.add(limit);
  return [...lengths]
    .filter(l => l <= limit || l === input.maxModelLen)
    .sort((a, b) => a - b);
}

/** The plan's trade-off curves; throws RangeError for input the planner refuses. @public */
export function planServingTradeoffs(
  input: ServingMemoryInput,
): ServingTradeoffs {
  validate(input);
  const utils = new Set([...UTILIZATIONS, input.gpuMemoryUtilization]);
  return {
    byContextLength: contextLengths(input).map(len =>
      point({ ...input, maxModelLen: len }, len),
    ),
    byUtilization: [...utils]
      .sort((a, b) => a - b)
      .map(u => point({ ...input, gpuMemoryUtilization: u }, u)),
    chosen: {
      maxModelLen: input.maxModelLen,
      gpuMemoryUtilization: input.gpuMemoryUtilization,
    },
  };
}
