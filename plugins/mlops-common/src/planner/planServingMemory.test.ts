import {
  GIB,
  GPU_PRESETS,
  MODEL_PRESETS,
  chooseMaxNumSeqs,
  findGpuPreset,
  planPresetServing,
  planServingMemory,
  presetPlanInput,
  type ServingMemoryInput,
} from '.';
import { seededRandom } from '../training/testSpecs';

const llama3_8b = { numLayers: 32, numKvHeads: 8, headDim: 128 };
const llama3_70b = { numLayers: 80, numKvHeads: 8, headDim: 128 };

function base(overrides: Partial<ServingMemoryInput> = {}): ServingMemoryInput {
  return {
    model: { ...llama3_8b, paramCount: 8_030_261_248 },
    gpu: { memoryBytes: 79.11 * GIB },
    tensorParallelSize: 1,
    gpuMemoryUtilization: 0.9,
    maxModelLen: 8192,
    maxNumBatchedTokens: 8192,
    maxNumSeqs: 256,
    ...overrides,
  };
}

describe('planServingMemory: KV bytes per token (REFERENCE.md public figures)', () => {
  it('Llama-3-8B at bf16 is 131,072 B/token', () => {
    expect(planServingMemory(base()).kvBytesPerTokenPerGpu).toBe(131_072);
  });

  it('Llama-3-70B at bf16 is 327,680 B/token on one GPU, split over TP and replicated past 8', () => {
    const plan = (tp: number) =>
      planServingMemory(
        base({
          model: { ...llama3_70b, paramCount: 70.55e9 },
          tensorParallelSize: tp,
          gpu: { memoryBytes: 1000 * GIB },
        }),
      ).kvBytesPerTokenPerGpu;
    expect(plan(1)).toBe(327_680);
    expect(plan(4)).toBe(81_920);
    expect(plan(8)).toBe(40_960);
    // 8 KV heads on 16 GPUs: each GPU keeps one replicated head, not half of one.
    expect(plan(16)).toBe(40_960);
  });

  it('fp8 KV cache halves the bytes; fp8 weights do not change them', () => {
    expect(
      planServingMemory(base({ kvCacheDtype: 'fp8' })).kvBytesPerTokenPerGpu,
    ).toBe(65_536);
    expect(
      planServingMemory(
        base({ model: { ...llama3_8b, paramCount: 8e9, weightDtype: 'fp8' } }),
      ).kvBytesPerTokenPerGpu,
    ).toBe(131_072);
  });

  it('uses head_dim as given (Gemma-2: 256, not hidden/heads)', () => {
    const gemma = MODEL_PRESETS.find(m => m.id === 'gemma-2-9b-it')!;
    expect(
      planPresetServing({
        model: gemma.id,
        gpu: 'h100-80gb',
        tensorParallelSize: 1,
        gpuMemoryUtilization: 0.9,
        maxModelLen: 8192,
      }).kvBytesPerTokenPerGpu,
    ).toBe(2 * 42 * 8 * 256 * 2);
  });
});

describe('planServingMemory: the vLLM V1 budget as a range', () => {
  it('takes weights, activation peak, non-torch and CUDA-graph memory from total × utilization at every end', () => {
    const plan = planServingMemory(base());
    const t = plan.terms;
    const budget = 79.11 * GIB * 0.9;
    expect(plan.perGpu.budgetBytes).toBeCloseTo(budget, 0);
    const left = (k: 'low' | 'middle' | 'high') =>
      Math.floor(
        budget -
          t.weights[k] -
          t.activationPeak[k] -
          t.nonTorch[k] -
          t.cudaGraph[k],
      );
    expect(plan.estimates.low.kvCacheBytes).toBe(left('high'));
    expect(plan.estimates.middle.kvCacheBytes).toBe(left('middle'));
    expect(plan.estimates.high.kvCacheBytes).toBe(left('low'));
    for (const range of Object.values(t)) {
      expect(range.low).toBeLessThanOrEqual(range.middle);
      expect(range.middle).toBeLessThanOrEqual(range.high);
    }
    expect(plan.perGpu.kvCacheBytes).toBe(plan.estimates.middle.kvCacheBytes);
    expect(t.weights.low).toBe(8_030_261_248 * 2);
  });

  it('promises the low estimate: tokens, concurrency and the verdict come from it', () => {
    const plan = planServingMemory(base());
    const { low, middle, high } = plan.estimates;
    expect(low.tokens).toBeLessThan(middle.tokens);
    expect(middle.tokens).toBeLessThan(high.tokens);
    expect(plan.kvCacheTokens).toBe(low.tokens);
    expect(plan.maxConcurrency).toBeCloseTo(low.tokens / 8192, 10);
    expect(plan.verdict).toBe('fits');
    expect(plan.fits).toBe(true);
    expect(plan.problems).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  it('is "borderline" for a context between the low and the high estimate, with the reason and a fitting alternative', () => {
    const probe = planServingMemory(base({ gpu: { memoryBytes: 20 * GIB } }));
    const { low, high } = probe.estimates;
    const between = Math.floor((low.tokens + high.tokens) / 2 / 16) * 16;
    const plan = planServingMemory(
      base({ gpu: { memoryBytes: 20 * GIB }, maxModelLen: between }),
    );
    expect(plan.verdict).toBe('borderline');
    expect(plan.fits).toBe(false);
    expect(plan.problems).toEqual([]);
    expect(plan.warnings[0]).toMatch(
      /^borderline: vLLM's KV cache will hold between [\d,]+ and [\d,]+ tokens; .* may take up to [\d.]+ GiB/,
    );
    expect(plan.warnings[1]).toMatch(/^Nearest configuration that fits: /);
    // Past the high estimate it does not fit at all.
    const over = planServingMemory(
      base({ gpu: { memoryBytes: 20 * GIB }, maxModelLen: high.tokens + 1024 }),
    );
    expect(over.verdict).toBe('does-not-fit');
  });

  it('charges more non-torch memory with NCCL at TP ≥ 2, and splits weights and MLP activations', () => {
    const one = planServingMemory(base());
    const two = planServingMemory(base({ tensorParallelSize: 2 }));
    expect(two.terms.nonTorch.middle).toBeGreaterThan(
      one.terms.nonTorch.middle,
    );
    expect(two.terms.nonTorch.high).toBeGreaterThan(one.terms.nonTorch.high);
    expect(two.terms.weights.low).toBe(one.terms.weights.low / 2);
  });

  it('reserves CUDA-graph memory from v0.21.0 on, not before', () => {
    expect(planServingMemory(base()).terms.cudaGraph.middle).toBeGreaterThan(
      0.2 * GIB,
    );
    const old = planServingMemory(base({ vllmRelease: 'v0.19.0' }));
    expect(old.vllmRelease).toBe('v0.19.0');
    expect(old.terms.cudaGraph).toEqual({ low: 0, middle: 0, high: 0 });
  });

  it('rounds the pool down to whole blocks of the block size', () => {
    for (const blockSize of [16, 32]) {
      const plan = planServingMemory(base({ blockSize }));
      for (const e of Object.values(plan.estimates))
        expect(e.tokens % blockSize).toBe(0);
    }
  });

  it('activation peak grows with max_num_batched_tokens and with max_num_seqs', () => {
    const small = planServingMemory(
      base({ maxNumBatchedTokens: 2048, maxNumSeqs: 64 }),
    );
    const tokens = planServingMemory(
      base({ maxNumBatchedTokens: 32768, maxNumSeqs: 64 }),
    );
    const seqs = planServingMemory(
      base({ maxNumBatchedTokens: 2048, maxNumSeqs: 2048 }),
    );
    expect(tokens.terms.activationPeak.middle).toBeGreaterThan(
      small.terms.activationPeak.middle,
    );
    expect(seqs.terms.activationPeak.middle).toBeGreaterThan(
      small.terms.activationPeak.middle,
    );
    expect(tokens.kvCacheTokens).toBeLessThan(small.kvCacheTokens);
  });

  it("profiles with vLLM's own defaults when the flags are absent: 8192/1024 on an H100, 2048/256 on an A100", () => {
    const bare = {
      ...base(),
      maxNumBatchedTokens: undefined,
      maxNumSeqs: undefined,
    };
    expect(
      planServingMemory({
        ...bare,
        gpu: { memoryBytes: 79.18 * GIB, name: 'H100' },
      }).profile,
    ).toEqual({
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 1024,
    });
    expect(
      planServingMemory({
        ...bare,
        gpu: { memoryBytes: 79.25 * GIB, name: 'NVIDIA A100 80GB' },
      }).profile,
    ).toEqual({ maxNumBatchedTokens: 2048, maxNumSeqs: 256 });
  });
});

describe('planServingMemory: refusals name the nearest configuration that fits', () => {
  it('refuses Llama-3-70B bf16 on one 24 GB GPU and names a fitting tensor-parallel size', () => {
    const plan = planPresetServing({
      model: 'llama-3-70b-instruct',
      gpu: 'l4',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 8192,
    });
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.kvCacheTokens).toBe(0);
    expect(plan.problems[0]).toMatch(
      /^the weights need 131\.4\d GiB per GPU at --tensor-parallel-size 1, more than the 19\.57 GiB budget/,
    );
    const nearest = plan.problems[plan.problems.length - 1];
    expect(nearest).toMatch(/^Nearest configuration that fits: /);
    const best = nearest.split('; or ')[0];
    const tp = Number(/--tensor-parallel-size (\d+)/.exec(best)![1]);
    const util = /--gpu-memory-utilization (0\.\d+)/.exec(best);
    const kv = /--kv-cache-dtype fp8/.test(best) ? 'fp8' : 'auto';
    // The suggestion really fits.
    expect(
      planPresetServing({
        model: 'llama-3-70b-instruct',
        gpu: 'l4',
        tensorParallelSize: tp,
        gpuMemoryUtilization: util ? Number(util[1]) : 0.9,
        kvCacheDtype: kv,
        maxModelLen: 8192,
      }).verdict,
    ).toBe('fits');
  });

  it('refuses a context longer than the high estimate and offers one that fits', () => {
    const plan = planPresetServing({
      model: 'llama-3.1-8b-instruct',
      gpu: 'l4',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 131072,
    });
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.problems[0]).toMatch(
      /less than one sequence of --max-model-len 131,072; vLLM refuses to start$/,
    );
    const len = Number(
      /shorten --max-model-len to ([\d,]+)\.$/
        .exec(plan.problems[1])![1]
        .replace(/,/g, ''),
    );
    const shorter = {
      model: 'llama-3.1-8b-instruct',
      gpu: 'l4',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
    };
    expect(planPresetServing({ ...shorter, maxModelLen: len }).verdict).toBe(
      'fits',
    );
    expect(
      planPresetServing({ ...shorter, maxModelLen: len + 1024 }).verdict,
    ).not.toBe('fits');
  });

  it('refuses a context beyond the model limit', () => {
    const plan = planPresetServing({
      model: 'llama-3-8b-instruct',
      gpu: 'h100-80gb',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 16384,
    });
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.problems[0]).toContain("model's context of 8192 tokens");
    expect(plan.problems[1]).toContain('shorten --max-model-len to 8,192');
  });

  it('refuses a tensor-parallel size that does not divide the KV heads', () => {
    const plan = planServingMemory(base({ tensorParallelSize: 3 }));
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.problems[0]).toContain('does not divide the model');
  });

  it('refuses a utilization that leaves no room outside the budget', () => {
    const plan = planServingMemory(base({ gpuMemoryUtilization: 1 }));
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.problems[0]).toContain(
      '--gpu-memory-utilization 1 leaves 0.00 GiB',
    );
  });

  it('suggests no tensor parallelism on a MIG slice', () => {
    const plan = planPresetServing({
      model: 'qwen2.5-72b-instruct',
      gpu: 'h100-80gb-mig-3g.40gb',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 8192,
    });
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.problems.join(' ')).not.toContain('--tensor-parallel-size 2');
  });

  it.each([
    ['gpuMemoryUtilization 0', { gpuMemoryUtilization: 0 }, /in \(0, 1\]/],
    ['gpuMemoryUtilization 1.5', { gpuMemoryUtilization: 1.5 }, /in \(0, 1\]/],
    ['gpuMemoryUtilization NaN', { gpuMemoryUtilization: NaN }, /in \(0, 1\]/],
    ['tensorParallelSize 0', { tensorParallelSize: 0 }, /tensorParallelSize/],
    ['tensorParallelSize 1.5', { tensorParallelSize: 1.5 }, /whole number/],
    ['maxModelLen -1', { maxModelLen: -1 }, /maxModelLen/],
    ['maxNumSeqs 0', { maxNumSeqs: 0 }, /maxNumSeqs/],
    ['memory Infinity', { gpu: { memoryBytes: Infinity } }, /gpu.memoryBytes/],
    ['release v0.9', { vllmRelease: 'v0.9.2' }, /v0\.11\.0 or later/],
    [
      'no weights or params',
      { model: { ...llama3_8b } },
      /weightBytes or paramCount/,
    ],
  ] as const)('throws RangeError for %s', (_what, patch, message) => {
    expect(() => planServingMemory(base(patch as any))).toThrow(message);
  });
});

describe('planServingMemory over random inputs', () => {
  it('never says "fits" without room for one full sequence at the low estimate, and more memory never means fewer tokens', () => {
    const random = seededRandom(5150);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const violations: string[] = [];
    for (let i = 0; i < 600; i++) {
      const model = pick(MODEL_PRESETS);
      const gpu = pick(GPU_PRESETS);
      const input = presetPlanInput({
        model: model.id,
        gpu: gpu.id,
        tensorParallelSize: gpu.mig ? 1 : pick([1, 2, 4, 8]),
        gpuMemoryUtilization: pick([0.5, 0.8, 0.9, 0.95]),
        maxModelLen: pick([1024, 4096, 8192, 32768]),
        kvCacheDtype: pick(['auto', 'fp8'] as const),
        quantization: pick(['none', 'fp8'] as const),
      }).memory;
      const plan = planServingMemory(input);
      const where = `${model.id} on ${gpu.id}, TP ${input.tensorParallelSize}`;
      const { low, middle, high } = plan.estimates;
      if (!(low.tokens <= middle.tokens && middle.tokens <= high.tokens)) {
        violations.push(`${where}: range out of order`);
      }
      if (
        plan.fits &&
        (low.blocks < plan.blocksPerRequest || plan.problems.length > 0)
      ) {
        violations.push(`${where}: fits without room at the low estimate`);
      }
      if (
        plan.verdict === 'does-not-fit' &&
        !/^(Nearest|No configuration)/.test(plan.problems.at(-1) ?? '')
      ) {
        violations.push(`${where}: refused without the nearest configuration`);
      }
      if (plan.verdict === 'borderline' && plan.warnings.length < 2) {
        violations.push(`${where}: borderline without reason and alternative`);
      }
      const bigger = planServingMemory({
        ...input,
        gpu: { memoryBytes: input.gpu.memoryBytes * 1.5, name: input.gpu.name },
      });
      if (bigger.kvCacheTokens < plan.kvCacheTokens) {
        violations.push(`${where}: more memory gave fewer tokens`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('chooseMaxNumSeqs', () => {
  it('fits as many typical requests as the low estimate holds, at most 256, in multiples of 8', () => {
    const plan = (tokens: number) => ({ kvCacheTokens: tokens });
    expect(chooseMaxNumSeqs(plan(448_448), 2048)).toBe(216);
    expect(chooseMaxNumSeqs(plan(4_000_000), 2048)).toBe(256);
    expect(chooseMaxNumSeqs(plan(10_000), 2048)).toBe(4);
    expect(chooseMaxNumSeqs(plan(100), 2048)).toBe(1);
  });
});

describe('GPU presets', () => {
  it('offers MIG slices with their mixed-strategy resource names', () => {
    const slice = findGpuPreset('h100-80gb-mig-3g.40gb')!;
    expect(slice.resourceName).toBe('nvidia.com/mig-3g.40gb');
    expect(slice.memoryBytes / GIB).toBeCloseTo(39, 1);
    expect(findGpuPreset('a100-80gb-mig-1g.10gb')!.resourceName).toBe(
      'nvidia.com/mig-1g.10gb',
    );
  });
});

describe('planServingMemory: small devices', () => {
  it('suggests a lower utilization when the headroom outside the budget is too small', () => {
    const plan = planPresetServing({
      model: 'qwen2.5-0.5b-instruct',
      gpu: 'a100-40gb-mig-1g.5gb',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 4096,
    });
    expect(plan.verdict).toBe('does-not-fit');
    expect(plan.problems.at(-1)).toMatch(
      /^Nearest configuration that fits: (--kv-cache-dtype fp8 and )?--gpu-memory-utilization 0\.88: /,
    );
  });
});
