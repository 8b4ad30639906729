import { presetPlanInput } from './presetPlan';
import { planServingTradeoffs } from './tradeoffs';

const input = presetPlanInput({
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  tensorParallelSize: 1,
  gpuMemoryUtilization: 0.9,
  maxModelLen: 8192,
}).memory;

describe('planServingTradeoffs', () => {
  const t = planServingTradeoffs(input);

  it('halves concurrency as the context doubles, and includes the chosen point', () => {
    const xs = t.byContextLength.map(p => p.x);
    expect(xs).toContain(8192);
    expect(xs.at(-1)).toBe(131072);
    const at = (x: number) => t.byContextLength.find(p => p.x === x)!;
    expect(at(16384).middle).toBeCloseTo(at(8192).middle / 2, 1);
    for (const p of t.byContextLength) {
      expect(p.low).toBeLessThanOrEqual(p.middle);
      expect(p.middle).toBeLessThanOrEqual(p.high);
    }
    expect(t.chosen).toEqual({ maxModelLen: 8192, gpuMemoryUtilization: 0.9 });
  });

  it('gains concurrency with utilization and marks where it stops fitting', () => {
    const u = t.byUtilization;
    expect(u.map(p => p.x)).toContain(0.9);
    for (let i = 1; i < u.length; i++)
      expect(u[i].middle).toBeGreaterThanOrEqual(u[i - 1].middle);
    expect(u.at(-1)!.x).toBe(0.98);
    expect(u.find(p => p.x === 0.9)!.verdict).toBe('fits');
  });

  it('stops the context axis at the model limit', () => {
    const short = planServingTradeoffs(
      presetPlanInput({
        model: 'llama-3-8b-instruct',
        gpu: 'h100-80gb',
        tensorParallelSize: 1,
        gpuMemoryUtilization: 0.9,
        maxModelLen: 4096,
      }).memory,
    );
    expect(short.byContextLength.map(p => p.x)).toEqual([2048, 4096, 8192]);
  });
});
