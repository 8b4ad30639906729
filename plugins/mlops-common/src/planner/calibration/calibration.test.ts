import { GIB } from '../units';
import { planStartupLog } from './planStartupLog';
import { VLLM_STARTUP_LOGS } from './vllmStartupLogs';

const calibrated = VLLM_STARTUP_LOGS.map(planStartupLog);
const LARGE_POOL = 20 * GIB;

describe('the planner against public vLLM start-up logs', () => {
  it('has entries with a source, and covers MoE, TP > 1, fp8 weights, and two accounting eras', () => {
    expect(new Set(VLLM_STARTUP_LOGS.map(l => l.id)).size).toBe(
      VLLM_STARTUP_LOGS.length,
    );
    for (const log of VLLM_STARTUP_LOGS) {
      expect(log.source).toMatch(/^https:\/\//);
      expect(log.architectureSource).toMatch(
        /^https:\/\/huggingface\.co\/.+\/config\.json$/,
      );
      expect(log.source).not.toMatch(/llm-d-planner/);
    }
    expect(VLLM_STARTUP_LOGS.some(l => l.architecture.moe)).toBe(true);
    expect(VLLM_STARTUP_LOGS.some(l => l.tensorParallelSize > 1)).toBe(true);
    expect(
      VLLM_STARTUP_LOGS.some(l => l.architecture.weightDtype === 'fp8'),
    ).toBe(true);
    const releases = new Set(VLLM_STARTUP_LOGS.map(l => l.vllmRelease));
    expect(releases.has('v0.11.0') && releases.has('v0.21.0')).toBe(true);
  });

  it.each(calibrated.map(c => [c.log.id, c] as const))(
    '%s: the low estimate is at or below the real pool',
    (_id, c) => {
      expect(c.plan.estimates.low.kvCacheBytes).toBeLessThanOrEqual(
        c.realKvBytes,
      );
      expect(c.plan.estimates.low.tokens).toBeLessThanOrEqual(c.realTokens);
    },
  );

  it.each(calibrated.map(c => [c.log.id, c] as const))(
    '%s: the real pool lies inside the planned range',
    (_id, c) => {
      expect(c.plan.estimates.high.kvCacheBytes).toBeGreaterThanOrEqual(
        c.realKvBytes,
      );
    },
  );

  const large = calibrated.filter(c => c.realKvBytes >= LARGE_POOL);
  it('has large pools to hold the middle to', () => {
    expect(large.length).toBeGreaterThanOrEqual(5);
  });

  it.each(large.map(c => [c.log.id, c] as const))(
    '%s: the middle estimate is within 2% of the large pool',
    (_id, c) => {
      expect(Math.abs(c.middleError)).toBeLessThan(0.02);
      const bytesError =
        (c.plan.estimates.middle.kvCacheBytes - c.realKvBytes) / c.realKvBytes;
      expect(Math.abs(bytesError)).toBeLessThan(0.02);
    },
  );

  it('says "fits" only where vLLM started with the logged context', () => {
    const fitting = calibrated.filter(c => c.plan.verdict === 'fits');
    expect(fitting.length).toBeGreaterThan(0);
    const shortPools = fitting.filter(c => c.realTokens < c.log.maxModelLen);
    expect(shortPools.map(c => c.log.id)).toEqual([]);
  });
});
