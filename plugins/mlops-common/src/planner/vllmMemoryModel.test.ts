import { findModelPreset } from './modelPresets';
import { GIB } from './units';
import {
  activationPeakBytes,
  cudaGraphBytes,
  cudaGraphCaptureSizes,
  cudaGraphCounts,
  nonTorchBytes,
  vllmBatchDefaults,
} from './vllmMemoryModel';
import { vllmAccounting, VLLM_IMAGE, VLLM_RELEASE } from './vllmRelease';

const llama = findModelPreset('llama-3.1-8b-instruct')!;
const shape = (maxNumSeqs: number, maxNumBatchedTokens = 8192) => ({
  maxNumSeqs,
  maxNumBatchedTokens,
  tensorParallelSize: 1,
  activationBytes: 2,
});

describe('vLLM memory model terms', () => {
  it('captures the graphs vLLM logs: PIECEWISE=51 (largest=512), FULL=35 at 256 sequences', () => {
    expect(cudaGraphCounts(shape(256))).toEqual({ piecewise: 51, full: 35 });
    expect(cudaGraphCaptureSizes(256, 8192).at(-1)).toBe(512);
    expect(cudaGraphCaptureSizes(8, 8192)).toEqual([1, 2, 4, 8, 16]);
  });

  it('estimates CUDA graphs near the 0.52 GiB vLLM v0.21 logged for Qwen3-8B at 256 sequences', () => {
    const g = cudaGraphBytes(
      findModelPreset('qwen3-8b')!,
      shape(256),
      'v0.21.0',
    );
    expect(g.low).toBeLessThan(0.52 * GIB);
    expect(g.high).toBeGreaterThan(0.52 * GIB);
    expect(Math.abs(g.middle / GIB - 0.52)).toBeLessThan(0.1);
    expect(cudaGraphBytes(llama, shape(256), 'v0.20.0').high).toBe(0);
  });

  it("matches the v0.11 sampler peaks of llm-d-benchmark's H100 logs at 1024 sequences", () => {
    const a = activationPeakBytes(llama, shape(1024), 'v0.11.0');
    expect(Math.abs(a.middle / GIB - 4.76)).toBeLessThan(0.05);
  });

  it('charges the sampler per request and vocabulary entry, by the release’s sampling kernels', () => {
    const eras = ['v0.11.0', 'v0.19.0', 'v0.29.0'].map(
      r => vllmAccounting(r).samplerBytesPerLogit.middle,
    );
    expect(eras[0]).toBeGreaterThan(eras[1]);
    expect(eras[1]).toBeGreaterThan(eras[2]);
    const few = activationPeakBytes(llama, shape(64, 2048), 'v0.11.0').middle;
    const many = activationPeakBytes(
      llama,
      shape(1024, 2048),
      'v0.11.0',
    ).middle;
    expect(many).toBeGreaterThan(few * 5);
  });

  it("samples only each rank's share of the requests from v0.29 (V2 runner), the whole batch at the high end", () => {
    const tp2 = { ...shape(1024, 2048), tensorParallelSize: 2 };
    const v28 = activationPeakBytes(llama, tp2, 'v0.28.0');
    const v29 = activationPeakBytes(llama, tp2, 'v0.29.0');
    expect(vllmAccounting('v0.28.0').shardsSamplerByTp).toBe(false);
    expect(v29.middle).toBeLessThan(v28.middle * 0.75);
    expect(v29.high).toBe(v28.high);
    expect(activationPeakBytes(llama, shape(1024, 2048), 'v0.29.0')).toEqual(
      activationPeakBytes(llama, shape(1024, 2048), 'v0.28.0'),
    );
  });

  it('adds an allowance for the encoder profiling of a multimodal model', () => {
    const gemma = findModelPreset('gemma-3-27b-it')!;
    const text = { ...gemma, encoderParams: undefined };
    expect(activationPeakBytes(gemma, shape(256)).high).toBeGreaterThan(
      activationPeakBytes(text, shape(256)).high,
    );
  });

  it('grows non-torch memory with NCCL at TP > 1', () => {
    expect(nonTorchBytes(1).middle).toBeCloseTo(0.13 * GIB, -3);
    expect(nonTorchBytes(2).middle).toBeCloseTo(0.55 * GIB, -3);
    expect(nonTorchBytes(8).high).toBeGreaterThan(nonTorchBytes(2).high);
  });

  it("uses vLLM's batch defaults: large on ≥ 70 GiB devices except A100", () => {
    expect(vllmBatchDefaults(79 * GIB, 'NVIDIA H100 80GB')).toEqual({
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 1024,
    });
    expect(vllmBatchDefaults(79 * GIB, 'NVIDIA A100 80GB')).toEqual({
      maxNumBatchedTokens: 2048,
      maxNumSeqs: 256,
    });
    expect(vllmBatchDefaults(44 * GIB, 'NVIDIA L40S')).toEqual({
      maxNumBatchedTokens: 2048,
      maxNumSeqs: 256,
    });
  });
});

describe('vLLM release', () => {
  it('pins one release for the image and the plan', () => {
    expect(VLLM_IMAGE).toBe(`vllm/vllm-openai:${VLLM_RELEASE}`);
    expect(vllmAccounting().release).toBe(VLLM_RELEASE);
    expect(vllmAccounting().reservesCudaGraphMemory).toBe(true);
  });

  it('reads releases with or without the v, and refuses those before the V1 snapshot accounting', () => {
    expect(vllmAccounting('0.20.1')).toMatchObject({
      release: 'v0.20.1',
      reservesCudaGraphMemory: false,
    });
    expect(vllmAccounting('v0.21').reportsTokensFromConcurrency).toBe(true);
    expect(() => vllmAccounting('v0.10.2')).toThrow(/v0\.11\.0 or later/);
    expect(() => vllmAccounting('latest')).toThrow(RangeError);
  });
});
