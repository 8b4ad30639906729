import {
  planServingForm,
  servingFormPlanError,
  servingFormPlanSummary,
  servingFormTradeoffs,
} from './formPlan';
import { planServing } from '../serving/plan';
import { chooseMaxNumSeqs } from './presetPlan';
import { fmt } from './units';
import { VLLM_RELEASE } from './vllmRelease';

const form = {
  name: 'llama-chat',
  owner: 'group:default/ml-platform-team',
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  tensorParallelSize: 1,
  maxModelLen: 8192,
  gpuMemoryUtilization: 0.9,
  kvCacheDtype: 'auto',
  quantization: 'none',
} as const;

describe('planServingForm', () => {
  it('plans what mlops:serving:plan plans for the same values', () => {
    const plan = planServingForm(form);
    if (plan.status !== 'planned') throw new Error(plan.status);
    const backend = planServing(form);
    expect(plan.fits).toBe(true);
    expect(plan.memory).toEqual(backend.memory);
    expect(plan.maxNumSeqs).toBe(backend.maxNumSeqs);
    expect(servingFormPlanError(plan)).toBeUndefined();
    const { low, high } = plan.memory.estimates;
    expect(
      servingFormPlanSummary(plan).startsWith(
        [
          `${fmt(low.tokens)}–${fmt(
            high.tokens,
          )} KV-cache tokens per replica (vLLM ${VLLM_RELEASE})`,
          `${low.maxConcurrency.toFixed(2)}–${high.maxConcurrency.toFixed(
            2,
          )} sequences of 8,192 tokens at once`,
          `--max-num-seqs ${chooseMaxNumSeqs(plan.memory, 2048)}`,
        ].join('; '),
      ),
    ).toBe(true);
    expect(servingFormPlanSummary(plan)).toMatch(
      /; 1 × NVIDIA H100 80GB, per GPU of a 71\.20 GiB budget: weights 14\.99 GiB, activations [\d.]+ GiB, non-torch 0\.13 GiB, CUDA graphs [\d.]+ GiB, KV cache [\d.]+ GiB$/,
    );
  });

  it('is borderline between the low and the high estimate: not refused, but said so', () => {
    const probe = planServingForm({ ...form, gpu: 'l4' });
    if (probe.status !== 'planned') throw new Error(probe.status);
    const { low, high } = probe.memory.estimates;
    const maxModelLen =
      Math.floor((low.tokens + high.tokens) / 2 / 1024) * 1024;
    const plan = planServingForm({ ...form, gpu: 'l4', maxModelLen });
    if (plan.status !== 'planned') throw new Error(plan.status);
    expect(plan.verdict).toBe('borderline');
    expect(servingFormPlanError(plan)).toBeUndefined();
    expect(plan.warnings[0]).toMatch(/^borderline: /);
    expect(servingFormPlanSummary(plan)).toMatch(/^BORDERLINE, /);
  });

  it('refuses 70B in bf16 on one L4 and names the nearest configuration that fits', () => {
    const plan = planServingForm({
      ...form,
      model: 'llama-3.1-70b-instruct',
      gpu: 'l4',
    });
    const error = servingFormPlanError(plan);
    expect(error).toMatch(
      /^Llama 3\.1 70B Instruct does not fit on NVIDIA L4 24GB as configured: the weights need 131\.4\d GiB per GPU/,
    );
    expect(error).toMatch(
      /0\.9\)\. Nearest configuration that fits: --tensor-parallel-size 8 \(8 GPUs per replica\)/,
    );
    expect(servingFormPlanSummary(plan)).toMatch(/^does not fit: /);
  });

  it('refuses tensor parallelism on a MIG slice, as the serving spec does', () => {
    const plan = planServingForm({
      ...form,
      model: 'qwen2.5-0.5b-instruct',
      gpu: 'h100-80gb-mig-3g.40gb',
      tensorParallelSize: 2,
    });
    expect(servingFormPlanError(plan)).toMatch(
      /a MIG slice \(h100-80gb-mig-3g\.40gb\) runs one GPU per replica: --tensor-parallel-size must be 1 \(got 2\)/,
    );
  });

  it('waits for the fields it needs, and reports values the planner refuses', () => {
    const incomplete = planServingForm({ ...form, gpu: undefined });
    expect(incomplete).toEqual({ status: 'incomplete', missing: ['gpu'] });
    expect(servingFormPlanError(incomplete)).toBeUndefined();
    expect(
      servingFormPlanError(planServingForm({ ...form, model: 'gpt-5' })),
    ).toBe('Cannot plan GPU memory: unknown model preset "gpt-5"');
    expect(
      servingFormPlanError(planServingForm({ ...form, maxModelLen: '0' })),
    ).toBe(
      'Cannot plan GPU memory: maxModelLen must be a positive whole number (got 0)',
    );
  });
});

describe('servingFormTradeoffs', () => {
  it('draws the planned form around its chosen point, with the range the plan holds', () => {
    const plan = planServingForm(form);
    if (plan.status !== 'planned') throw new Error(plan.status);
    const t = servingFormTradeoffs(plan)!;
    const chosen = t.byContextLength.find(p => p.x === form.maxModelLen)!;
    const { low, middle, high } = plan.memory.estimates;
    expect(chosen.low).toBeCloseTo(low.maxConcurrency, 2);
    expect(chosen.middle).toBeCloseTo(middle.maxConcurrency, 2);
    expect(chosen.high).toBeCloseTo(high.maxConcurrency, 2);
    expect(
      t.byUtilization.find(p => p.x === form.gpuMemoryUtilization)!.verdict,
    ).toBe(plan.verdict);
  });

  it('has nothing to draw before the form can be planned', () => {
    expect(
      servingFormTradeoffs(planServingForm({ model: 'llama-3.1-8b-instruct' })),
    ).toBeUndefined();
    expect(
      servingFormTradeoffs(planServingForm({ ...form, model: 'nope' })),
    ).toBeUndefined();
  });
});
