import {
  blocksPerRequest,
  kvBlocks,
  kvLayout,
  reportedTokens,
} from './kvCacheLayout';
import { findModelPreset } from './modelPresets';
import { planPresetServing } from './presetPlan';

const preset = (id: string) => findModelPreset(id)!;

describe('KV-cache layout: the hybrid allocator', () => {
  it('keeps one group for a full-attention model', () => {
    const layout = kvLayout(preset('llama-3.1-8b-instruct'), 1, 'auto');
    expect(layout.groups).toEqual([{ kind: 'full' }]);
    expect(layout.groupSize).toBe(32);
    expect(layout.pageBytes).toBe(16 * 2 * 8 * 128 * 2);
  });

  it('splits Gemma 2 into a full and a sliding group of 21 layers each', () => {
    const layout = kvLayout(preset('gemma-2-9b-it'), 1, 'auto');
    expect(layout.groupSize).toBe(21);
    expect(layout.groups).toEqual([
      { kind: 'full' },
      { kind: 'sliding', window: 4096 },
    ]);
  });

  it('groups Gemma 3 (10 full, 52 sliding layers) in tens: one full and six padded sliding groups', () => {
    const layout = kvLayout(preset('gemma-3-27b-it'), 1, 'auto');
    expect(layout.groupSize).toBe(10);
    expect(layout.groups.filter(g => g.kind === 'full')).toHaveLength(1);
    expect(layout.groups.filter(g => g.kind === 'sliding')).toHaveLength(6);
  });

  it('needs a window, not the whole context, in sliding groups', () => {
    const layout = kvLayout(preset('gpt-oss-20b'), 1, 'auto');
    // full: 8192 / 16; sliding: cdiv(128 - 1 + 2048, 16) + 1
    expect(blocksPerRequest(layout, 8192, 2048)).toBe(512 + 136 + 1);
    const full = kvLayout(
      { ...preset('gpt-oss-20b'), slidingWindow: undefined },
      1,
      'auto',
    );
    expect(blocksPerRequest(full, 8192, 2048)).toBe(512);
  });

  it('reports tokens as vLLM v0.21+ does (concurrency × max_model_len) and as older releases did', () => {
    const layout = kvLayout(preset('gpt-oss-20b'), 1, 'auto');
    const blocks = kvBlocks(layout, 40 * 1024 ** 3);
    expect(blocks).toBe(Math.floor((40 * 1024 ** 3) / (layout.pageBytes * 12)));
    const perRequest = blocksPerRequest(layout, 131072, 8192);
    expect(reportedTokens(layout, blocks, 131072, 8192, true)).toBe(
      Math.floor((blocks / perRequest) * 131072),
    );
    expect(reportedTokens(layout, blocks, 131072, 8192, false)).toBe(
      Math.floor(blocks / 2) * 16,
    );
  });

  it('lets a sliding-window model hold more long sequences than the same model with full attention', () => {
    const args = {
      gpu: 'h100-80gb',
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
      maxModelLen: 131072,
    };
    const gptOss = planPresetServing({ ...args, model: 'gpt-oss-20b' });
    expect(gptOss.verdict).toBe('fits');
    const perRequestFull = 131072 / 16;
    expect(gptOss.blocksPerRequest).toBeLessThan(2 * perRequestFull);
    expect(gptOss.blocksPerRequest).toBeGreaterThan(perRequestFull);
  });
});

describe('KV-cache layout: multi-head latent attention', () => {
  it('caches kv_lora_rank + qk_rope_head_dim per token per layer, the same on every rank, in blocks of 64', () => {
    const deepseek = preset('deepseek-v3');
    for (const tp of [1, 8]) {
      const layout = kvLayout(deepseek, tp, 'auto');
      expect(layout.tokenBytesPerLayer).toBe((512 + 64) * 2);
      expect(layout.bytesPerToken).toBe(576 * 2 * 61);
      expect(layout.blockSize).toBe(64);
    }
    expect(kvLayout(deepseek, 8, 'fp8').tokenBytesPerLayer).toBe(576);
  });

  it('is far smaller than heads × head_dim would be', () => {
    const deepseek = preset('deepseek-v3');
    const asGqa = 2 * deepseek.numKvHeads * deepseek.headDim * 2;
    expect(kvLayout(deepseek, 1, 'auto').tokenBytesPerLayer * 40).toBeLessThan(
      asGqa,
    );
  });
});
