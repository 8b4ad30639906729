import { GIB, GPU_PRESETS, MODEL_PRESETS, planPresetServing } from '.';
import { architectureParamCount } from './modelPresets';

describe('MODEL_PRESETS', () => {
  it('has unique ids and a source for every preset', () => {
    expect(new Set(MODEL_PRESETS.map(m => m.id)).size).toBe(
      MODEL_PRESETS.length,
    );
    for (const m of MODEL_PRESETS) {
      expect(m.source).toMatch(/^https:\/\/huggingface\.co\/.+\/config\.json$/);
      expect(m.source).toContain(m.huggingFaceId);
    }
  });

  it.each(MODEL_PRESETS.map(m => [m.id, m] as const))(
    '%s: the parameter count matches its architecture within 0.5%%',
    (_id, m) => {
      const implied = architectureParamCount(m);
      expect(Math.abs(implied - m.paramCount) / m.paramCount).toBeLessThan(
        0.005,
      );
    },
  );

  it('covers the models the issue names', () => {
    const ids = MODEL_PRESETS.map(m => m.id);
    for (const id of [
      'llama-3-8b-instruct',
      'llama-3.1-8b-instruct',
      'llama-3-70b-instruct',
      'llama-3.1-70b-instruct',
      'mistral-7b-instruct-v0.3',
      'qwen2.5-7b-instruct',
      'qwen2.5-14b-instruct',
      'qwen2.5-72b-instruct',
      'phi-4',
      'gemma-2-9b-it',
      'gemma-3-27b-it',
      'qwen3-8b',
      'qwen3-32b',
      'llama-3.3-70b-instruct',
      'mixtral-8x7b-instruct-v0.1',
      'qwen3-30b-a3b',
      'qwen3-235b-a22b',
      'gpt-oss-20b',
      'gpt-oss-120b',
      'deepseek-v3',
      'deepseek-r1',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('has MoE, MLA, sliding-window and fp8 / int4 / MXFP4 presets', () => {
    expect(
      MODEL_PRESETS.filter(m => m.family === 'moe').length,
    ).toBeGreaterThanOrEqual(5);
    expect(MODEL_PRESETS.filter(m => m.mla).map(m => m.family)).toEqual([
      'mla',
      'mla',
    ]);
    expect(
      MODEL_PRESETS.filter(m => m.slidingWindow).length,
    ).toBeGreaterThanOrEqual(4);
    const formats = new Set(MODEL_PRESETS.map(m => m.weightDtype));
    for (const f of [
      'bfloat16',
      'fp8',
      'fp8-block',
      'awq-int4',
      'gptq-int4',
      'mxfp4',
    ]) {
      expect(formats).toContain(f);
    }
  });

  it.each(MODEL_PRESETS.map(m => [m.id, m] as const))(
    '%s plans without error on the GPUs it needs',
    (_id, m) => {
      const gpu = m.paramCount > 200e9 ? 'h200-141gb' : 'h100-80gb';
      const plans = [1, 2, 4, 8].map(tp =>
        planPresetServing({
          model: m.id,
          gpu,
          tensorParallelSize: tp,
          gpuMemoryUtilization: 0.9,
          maxModelLen: 8192,
        }),
      );
      expect(plans.some(p => p.verdict === 'fits')).toBe(true);
    },
  );
});

describe('GPU_PRESETS', () => {
  it('has unique ids, a source for every preset and memory below the nominal size in GiB', () => {
    expect(new Set(GPU_PRESETS.map(g => g.id)).size).toBe(GPU_PRESETS.length);
    for (const g of GPU_PRESETS) {
      expect(g.source).toMatch(/^https:\/\//);
      const nominal = Number(
        /(\d+)GB/i.exec(g.mig?.profile ?? g.displayName)![1],
      );
      expect(g.memoryBytes).toBeLessThan(nominal * GIB);
      expect(g.memoryBytes).toBeGreaterThan(
        nominal * 0.85 * GIB * (g.mig ? 0.85 : 1),
      );
    }
  });

  it('names MIG slices by their mixed-strategy resource and whole GPUs nvidia.com/gpu', () => {
    const slices = GPU_PRESETS.filter(g => g.mig);
    for (const g of slices) {
      expect(g.resourceName).toBe(`nvidia.com/mig-${g.mig!.profile}`);
      expect(g.mig!.profile).toMatch(/^\dg\.\d+gb$/);
    }
    expect(GPU_PRESETS.filter(g => !g.mig).map(g => g.resourceName)).toEqual(
      Array(GPU_PRESETS.length - slices.length).fill('nvidia.com/gpu'),
    );
  });

  it('covers the GPUs the issue names', () => {
    const ids = GPU_PRESETS.map(g => g.id);
    for (const id of [
      'h100-80gb',
      'h200-141gb',
      'a100-40gb',
      'a100-80gb',
      'l40s',
      'l4',
      'a10g',
    ]) {
      expect(ids).toContain(id);
    }
    expect(
      ids.filter(id => id.includes('-mig-')).length,
    ).toBeGreaterThanOrEqual(9);
  });
});
