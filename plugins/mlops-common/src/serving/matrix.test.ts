import { findModelPreset } from '../planner/modelPresets';
import { renderServingRepo } from '.';
import { servingMatrix } from './testing/servingMatrix';

describe('the serving matrix of the cluster dry-run', () => {
  const { specs, unfit } = servingMatrix();

  it('renders MoE, MLA and sliding-window presets, not only dense ones', () => {
    const presets = new Set(specs.map(s => findModelPreset(s.model)!));
    const families = [...presets];
    expect(families.filter(m => m.family === 'moe').map(m => m.id)).toEqual(
      expect.arrayContaining([
        'mixtral-8x7b-instruct-v0.1',
        'qwen3-30b-a3b',
        'gpt-oss-20b',
      ]),
    );
    expect(families.filter(m => m.family === 'mla').map(m => m.id)).toEqual([
      'deepseek-v3',
    ]);
    expect(families.filter(m => m.slidingWindow).map(m => m.id)).toEqual(
      expect.arrayContaining([
        'gemma-2-9b-it',
        'gemma-3-27b-it',
        'gpt-oss-20b',
      ]),
    );
    // DeepSeek-V3 needs eight H200s: 671B fp8 parameters do not fit on eight H100s.
    expect(
      specs.filter(s => s.model === 'deepseek-v3').map(s => s.gpu),
    ).toEqual(Array(3).fill('h200-141gb'));
    expect(unfit).toContain('deepseek-v3@h100-80gb');
  });

  it('renders every spec it holds', () => {
    for (const spec of specs) {
      const files = renderServingRepo(spec);
      const plan = JSON.parse(files.find(f => f.path === 'plan.json')!.content);
      expect(plan.verdict).toBe('fits');
    }
  });
});
