/** Plans the server of a logged start-up and compares the plan with what vLLM logged. */
import { kvBlocks, kvLayout, reportedTokens } from '../kvCacheLayout';
import type { ServingMemoryPlan } from '../planCore';
import { planServingMemory } from '../planServingMemory';
import { GIB } from '../units';
import { vllmAccounting } from '../vllmRelease';
import type { StartupLog } from './vllmStartupLogs';

/** The log's figure is rounded to 0.01 GiB: the real pool is at least this. */
const ROUNDING = 0.005 * GIB;

export interface Calibrated {
  log: StartupLog;
  plan: ServingMemoryPlan;
  /** The logged pool, at the bottom of its rounding. */
  realKvBytes: number;
  /** Logged tokens, or the tokens of the logged pool by vLLM's own block arithmetic. */
  realTokens: number;
  /** (middle − real) / real, in tokens. */
  middleError: number;
}

export function planStartupLog(log: StartupLog): Calibrated {
  const plan = planServingMemory({
    model: log.architecture,
    gpu: { memoryBytes: log.gpuMemoryBytes, name: log.gpu },
    tensorParallelSize: log.tensorParallelSize,
    gpuMemoryUtilization: log.gpuMemoryUtilization,
    maxModelLen: log.maxModelLen,
    maxNumBatchedTokens: log.maxNumBatchedTokens,
    maxNumSeqs: log.maxNumSeqs,
    kvCacheDtype: log.kvCacheDtype,
    blockSize: log.blockSize,
    vllmRelease: log.vllmRelease,
  });
  const realKvBytes = log.logged.availableKvGiB * GIB - ROUNDING;
  const layout = kvLayout(
    log.architecture,
    log.tensorParallelSize,
    log.kvCacheDtype,
    log.blockSize,
  );
  const realTokens =
    log.logged.tokens ??
    reportedTokens(
      layout,
      kvBlocks(layout, realKvBytes),
      log.maxModelLen,
      log.maxNumBatchedTokens,
      vllmAccounting(log.vllmRelease).reportsTokensFromConcurrency,
    );
  return {
    log,
    plan,
    realKvBytes,
    realTokens,
    middleError: (plan.estimates.middle.tokens - realTokens) / realTokens,
  };
}
