import {
  planServingForm,
  servingFormPlanError,
  servingFormPlanSummary,
} from './formPlan';
import { planServing } from '../serving/plan';

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
    expect(servingFormPlanSummary(plan)).toMatch(
      /^448,448 KV-cache tokens per replica; 54\.74 sequences of 8,192 tokens at once; --max-num-seqs 216; 1 × NVIDIA H100 80GB, per GPU of a /,
    );
  });

  it('refuses 70B in bf16 on one L4 and names the nearest configuration that fits', () => {
    const plan = planServingForm({
      ...form,
      model: 'llama-3.1-70b-instruct',
      gpu: 'l4',
    });
    const error = servingFormPlanError(plan);
    expect(error).toMatch(
      /^Llama 3\.1 70B Instruct does not fit on NVIDIA L4 24GB as configured: the weights need 131\.42 GiB per GPU/,
    );
    expect(error).toMatch(
      /0\.9\)\. Nearest configuration that fits: --tensor-parallel-size 4 .*--quantization fp8.*; or --tensor-parallel-size 8 .*\(weights unchanged\)\.$/,
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
