/* eslint-disable no-console */
// The planner against the public vLLM start-up logs of the calibration fixture, as a table:
//   yarn bench:plan-calibration
import { planStartupLog } from '../src/planner/calibration/planStartupLog';
import { VLLM_STARTUP_LOGS } from '../src/planner/calibration/vllmStartupLogs';
import { GIB } from '../src/planner/units';

const rows = VLLM_STARTUP_LOGS.map(planStartupLog).map(c => {
  const e = c.plan.estimates;
  return {
    model: c.log.model,
    'GPU × TP': `${c.log.gpu} × ${c.log.tensorParallelSize}`,
    vLLM: c.log.vllmRelease,
    'logged GiB': c.log.logged.availableKvGiB,
    'logged tokens': c.realTokens,
    low: e.low.tokens,
    middle: e.middle.tokens,
    high: e.high.tokens,
    'middle error': `${(c.middleError * 100).toFixed(2)}%`,
    'low ≤ real': e.low.tokens <= c.realTokens,
    'middle GiB': Number((e.middle.kvCacheBytes / GIB).toFixed(2)),
  };
});
console.table(rows);
