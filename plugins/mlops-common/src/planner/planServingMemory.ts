/**
 * GPU memory and KV-cache planner for vLLM V1. Pure arithmetic, no I/O: usable in the browser
 * (the Create form) and in the scaffolder action alike. The memory model and its sources are
 * in vllmMemoryModel.ts, the KV-cache layout in kvCacheLayout.ts, the weights in weights.ts.
 */
import { nearestFit } from './nearestFit';
import {
  planCore,
  validate,
  type ServingMemoryInput,
  type ServingMemoryPlan,
} from './planCore';

/**
 * Plans the GPU memory of one vLLM replica the way vLLM V1 will, as a range: the KV-cache
 * tokens left when every memory term is at its high end (low), as expected (middle), and at
 * the low end of every term (high). "fits" only when the low estimate holds one
 * --max-model-len sequence; "borderline" when only the high one does (with the reason in
 * `warnings`); otherwise "does-not-fit" with the reasons and the nearest configuration that
 * fits in `problems`.
 * @public
 */
export function planServingMemory(
  input: ServingMemoryInput,
): ServingMemoryPlan {
  validate(input);
  const { plan } = planCore(input);
  if (plan.verdict === 'does-not-fit') plan.problems.push(nearestFit(input));
  if (plan.verdict === 'borderline') plan.warnings.push(nearestFit(input));
  return plan;
}
