import { findModelPreset } from './modelPresets';
import { GIB } from './units';
import { weightBytesPerGpu, weightLayout } from './weights';

const preset = (id: string) => findModelPreset(id)!;
const gib = (bytes: number) => bytes / GIB;

describe('weights per GPU from the checkpoint layout', () => {
  // "Model loading took …" in llm-d-benchmark's H100 logs (vLLM 0.11.0), see calibration/.
  it.each([
    ['llama-3.1-8b-instruct', 1, 14.99],
    ['qwen3-32b', 1, 61.03],
    ['qwen3-32b', 2, 30.59],
    ['llama-3.3-70b-instruct-fp8', 2, 33.88],
    ['gpt-oss-20b', 1, 13.47],
    ['gpt-oss-120b', 1, 64.38],
  ] as const)(
    '%s at TP %i: the range holds the logged %f GiB, the middle within 1%%',
    (id, tp, logged) => {
      const w = weightBytesPerGpu(preset(id), tp);
      expect(gib(w.low)).toBeLessThanOrEqual(logged + 0.01);
      expect(gib(w.high)).toBeGreaterThanOrEqual(logged - 0.01);
      expect(Math.abs(gib(w.middle) - logged) / logged).toBeLessThan(0.01);
    },
  );

  it('keeps embeddings in 16 bits and quantizes the linears: fp8 near half, int4 near a quarter', () => {
    const bf16 = weightBytesPerGpu(preset('qwen2.5-72b-instruct'), 1).low;
    const fp8 = weightBytesPerGpu(
      { ...preset('qwen2.5-72b-instruct'), weightDtype: 'fp8' },
      1,
    ).low;
    const awq = weightBytesPerGpu(preset('qwen2.5-72b-instruct-awq'), 1).low;
    expect(fp8 / bf16).toBeGreaterThan(0.5);
    expect(fp8 / bf16).toBeLessThan(0.53);
    expect(awq / bf16).toBeGreaterThan(0.26);
    expect(awq / bf16).toBeLessThan(0.3);
  });

  it('stores only the experts of an MXFP4 checkpoint in 4 bits', () => {
    const layout = weightLayout(preset('gpt-oss-120b'), 1);
    expect(
      layout.experts / (layout.experts + layout.linear + layout.sixteenBit),
    ).toBeGreaterThan(0.95);
    const mxfp4 = weightBytesPerGpu(preset('gpt-oss-120b'), 1).low;
    expect(gib(mxfp4)).toBeGreaterThan(55);
    expect(gib(mxfp4)).toBeLessThan(65);
  });

  it('replicates KV projections past the KV heads and MLA down-projections on every rank', () => {
    const llama = preset('llama-3.1-70b-instruct');
    const at8 = weightLayout(llama, 8).linear;
    const at16 = weightLayout(llama, 16).linear;
    // One replicated KV head per rank at TP 16 keeps the KV part from halving.
    expect(at16).toBeGreaterThan(at8 / 2);
    const deepseek = preset('deepseek-v3');
    const replicated = 61 * 7168 * (1536 + 512 + 64);
    expect(weightLayout(deepseek, 8).linear).toBeGreaterThan(replicated);
  });

  it('fits DeepSeek-V3 (fp8 blocks) on 8 × H200 but not on 8 × H100', () => {
    const perGpu = gib(weightBytesPerGpu(preset('deepseek-v3'), 8).high);
    expect(perGpu).toBeGreaterThan(0.9 * 79.11);
    expect(perGpu).toBeLessThan(0.9 * 130.56);
  });
});
