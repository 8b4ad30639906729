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

describe('planServingMemory: the vLLM V1 budget', () => {
  it('takes weights/TP, activation peak and non-torch memory from total × utilization', () => {
    const plan = planServingMemory(base());
    const g = plan.perGpu;
    expect(g.totalBytes).toBe(79.11 * GIB);
    expect(g.budgetBytes).toBeCloseTo(79.11 * GIB * 0.9, 0);
    expect(g.weightBytes).toBe(8_030_261_248 * 2);
    expect(g.nonTorchBytes).toBe(0.25 * GIB);
    expect(g.kvCacheBytes).toBe(
      Math.floor(
        g.budgetBytes - g.weightBytes - g.activationPeakBytes - g.nonTorchBytes,
      ),
    );
    // Within REFERENCE.md's 0.8–2.5 GiB for dense 7–70B models at 8192 batched tokens.
    expect(g.activationPeakBytes / GIB).toBeGreaterThan(0.8);
    expect(g.activationPeakBytes / GIB).toBeLessThan(2.5);
    expect(plan.kvCacheTokens).toBe(
      Math.floor(g.kvCacheBytes / (131_072 * 16)) * 16,
    );
    expect(plan.maxConcurrency).toBeCloseTo(plan.kvCacheTokens / 8192, 10);
    expect(plan.fits).toBe(true);
    expect(plan.problems).toEqual([]);
  });

  it('charges ~2 GiB of non-torch memory per GPU at TP ≥ 2 and 0.25 GiB alone', () => {
    const one = planServingMemory(base());
    const two = planServingMemory(base({ tensorParallelSize: 2 }));
    expect(one.perGpu.nonTorchBytes).toBe(0.25 * GIB);
    expect(two.perGpu.nonTorchBytes).toBe(2 * GIB);
    expect(two.perGpu.weightBytes).toBe(one.perGpu.weightBytes / 2);
    expect(two.perGpu.activationPeakBytes).toBeLessThan(
      one.perGpu.activationPeakBytes,
    );
  });

  it('rounds tokens down to whole blocks of the block size', () => {
    for (const blockSize of [16, 32]) {
      const plan = planServingMemory(base({ blockSize }));
      expect(plan.kvCacheTokens % blockSize).toBe(0);
    }
  });

  it('activation peak grows with max_num_batched_tokens', () => {
    const small = planServingMemory(base({ maxNumBatchedTokens: 2048 }));
    const large = planServingMemory(base({ maxNumBatchedTokens: 32768 }));
    expect(large.perGpu.activationPeakBytes).toBeGreaterThan(
      small.perGpu.activationPeakBytes,
    );
    expect(large.kvCacheTokens).toBeLessThan(small.kvCacheTokens);
  });

  /**
   * The KV pool a vLLM V1 log would show for these public figures, computed only from
   * REFERENCE.md: bytes per token, the device total, and the documented ranges of activation
   * peak (0.8–2.5 GiB) and non-torch memory (0.25 GiB alone, 2 GiB per GPU at TP ≥ 2).
   */
  it.each([
    ['llama-3-8b-instruct', 'h100-80gb', 1, 131_072],
    ['llama-3-8b-instruct', 'a100-80gb', 1, 131_072],
    ['llama-3-70b-instruct', 'h100-80gb', 4, 81_920],
    ['llama-3-70b-instruct', 'h100-80gb', 8, 40_960],
    ['qwen2.5-72b-instruct', 'h200-141gb', 2, 163_840],
  ] as const)(
    '%s on %s × %i lands inside the window of REFERENCE.md figures, within 3%% of its middle',
    (model, gpu, tp, bytesPerToken) => {
      const plan = planPresetServing({
        model,
        gpu,
        tensorParallelSize: tp,
        gpuMemoryUtilization: 0.9,
        maxModelLen: 8192,
      });
      const { memory } = presetPlanInput({
        model,
        gpu,
        tensorParallelSize: tp,
        gpuMemoryUtilization: 0.9,
        maxModelLen: 8192,
      });
      expect(plan.kvBytesPerTokenPerGpu).toBe(bytesPerToken);
      const nonTorch = tp > 1 ? 2 * GIB : 0.25 * GIB;
      const pool = (activation: number) =>
        memory.gpu.memoryBytes * 0.9 -
        (memory.model.paramCount! * 2) / tp -
        activation -
        nonTorch;
      const tokens = (bytes: number) =>
        Math.floor(bytes / (bytesPerToken * 16)) * 16;
      const most = tokens(pool(0.8 * GIB));
      const least = tokens(pool(2.5 * GIB));
      expect(plan.kvCacheTokens).toBeGreaterThanOrEqual(least);
      expect(plan.kvCacheTokens).toBeLessThanOrEqual(most);
      const middle = tokens(pool(1.65 * GIB));
      expect(Math.abs(plan.kvCacheTokens - middle) / middle).toBeLessThan(0.03);
    },
  );
});

describe('planServingMemory: refusals name the nearest configuration that fits', () => {
  it('refuses Llama-3-70B bf16 on one 24 GB GPU and names the fitting tensor-parallel size', () => {
    const plan = planPresetServing({
      model: 'llama-3-70b-instruct',
      gpu: 'l4',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 8192,
    });
    expect(plan.fits).toBe(false);
    expect(plan.kvCacheTokens).toBe(0);
    expect(plan.problems[0]).toMatch(
      /^the weights need 131\.42 GiB per GPU at --tensor-parallel-size 1, more than the 19\.57 GiB budget/,
    );
    const nearest = plan.problems[plan.problems.length - 1];
    expect(nearest).toMatch(/^Nearest configuration that fits: /);
    expect(nearest).toContain(
      '--tensor-parallel-size 8 (8 GPUs per replica) and --gpu-memory-utilization 0.95',
    );
    expect(nearest).toContain('(weights unchanged)');
    // The suggestion really fits.
    expect(
      planPresetServing({
        model: 'llama-3-70b-instruct',
        gpu: 'l4',
        tensorParallelSize: 8,
        gpuMemoryUtilization: 0.95,
        maxModelLen: 8192,
      }).fits,
    ).toBe(true);
  });

  it('refuses the same on a plain 24 GB device given by bytes', () => {
    const plan = planServingMemory({
      model: { ...llama3_70b, paramCount: 70_553_706_496 },
      gpu: { memoryBytes: 24e9 },
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 8192,
    });
    expect(plan.fits).toBe(false);
    expect(plan.problems.join('\n')).toMatch(
      /Nearest configuration that fits: --tensor-parallel-size \d/,
    );
  });

  it('refuses a context longer than the KV cache and offers a shorter one', () => {
    const plan = planPresetServing({
      model: 'llama-3.1-8b-instruct',
      gpu: 'l4',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 131072,
    });
    expect(plan.fits).toBe(false);
    expect(plan.problems[0]).toMatch(
      /fewer than one sequence of --max-model-len 131,072; vLLM refuses to start$/,
    );
    expect(plan.problems[1]).toMatch(
      /keep 1 GPU\(s\) and shorten --max-model-len to 2\d,\d{3}\.$/,
    );
  });

  it('refuses a context beyond the model limit', () => {
    const plan = planPresetServing({
      model: 'llama-3-8b-instruct',
      gpu: 'h100-80gb',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 16384,
    });
    expect(plan.fits).toBe(false);
    expect(plan.problems[0]).toContain("model's context of 8192 tokens");
    expect(plan.problems[1]).toContain('shorten --max-model-len to 8,192');
  });

  it('refuses a tensor-parallel size that does not divide the KV heads', () => {
    const plan = planServingMemory(base({ tensorParallelSize: 3 }));
    expect(plan.fits).toBe(false);
    expect(plan.problems[0]).toContain('does not divide the model');
  });

  it('refuses a utilization that leaves no room for CUDA graphs', () => {
    const plan = planServingMemory(base({ gpuMemoryUtilization: 1 }));
    expect(plan.fits).toBe(false);
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
    expect(plan.fits).toBe(false);
    expect(plan.problems.join(' ')).not.toContain('--tensor-parallel-size 2');
  });

  it.each([
    ['gpuMemoryUtilization 0', { gpuMemoryUtilization: 0 }, /in \(0, 1\]/],
    ['gpuMemoryUtilization 1.5', { gpuMemoryUtilization: 1.5 }, /in \(0, 1\]/],
    ['gpuMemoryUtilization NaN', { gpuMemoryUtilization: NaN }, /in \(0, 1\]/],
    ['tensorParallelSize 0', { tensorParallelSize: 0 }, /tensorParallelSize/],
    ['tensorParallelSize 1.5', { tensorParallelSize: 1.5 }, /whole number/],
    ['maxModelLen -1', { maxModelLen: -1 }, /maxModelLen/],
    ['memory Infinity', { gpu: { memoryBytes: Infinity } }, /gpu.memoryBytes/],
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
  it('never says "fits" without room for one full sequence, and more memory never means fewer tokens', () => {
    const random = seededRandom(5150);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const violations: string[] = [];
    for (let i = 0; i < 2000; i++) {
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
      if (
        plan.fits &&
        (plan.kvCacheTokens < input.maxModelLen ||
          plan.perGpu.kvCacheBytes <= 0 ||
          plan.problems.length > 0)
      ) {
        violations.push(`${where}: fits without room`);
      }
      if (!plan.fits && plan.problems.length < 2) {
        violations.push(`${where}: refused without the nearest configuration`);
      }
      if (plan.kvCacheTokens % 16 !== 0) {
        violations.push(`${where}: tokens not in whole blocks`);
      }
      const bigger = planServingMemory({
        ...input,
        gpu: { memoryBytes: input.gpu.memoryBytes * 1.5 },
      });
      if (bigger.kvCacheTokens < plan.kvCacheTokens) {
        violations.push(`${where}: more memory gave fewer tokens`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe('chooseMaxNumSeqs', () => {
  const plan = (tokens: number) =>
    ({ kvCacheTokens: tokens } as ReturnType<typeof planServingMemory>);
  it('fits as many typical requests as the cache holds, at most 256, in multiples of 8', () => {
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
  it('suggests a lower utilization when the headroom for CUDA graphs is too small', () => {
    const plan = planPresetServing({
      model: 'qwen2.5-0.5b-instruct',
      gpu: 'a100-40gb-mig-1g.5gb',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 4096,
    });
    expect(plan.fits).toBe(false);
    expect(plan.problems.at(-1)).toMatch(
      /^Nearest configuration that fits: --gpu-memory-utilization 0\.88: /,
    );
  });
});
