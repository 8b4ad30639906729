import { renderInTestApp } from '@backstage/test-utils';
import {
  planServingForm,
  type ServingFormPlan,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SERVING_PLAN_FIELD } from './fieldName';
import { ServingPlanField } from './ServingPlanField';
import { validateServingPlan } from './validateServingPlan';

/** The "Model and GPU" page of the serving templates, reduced to what the plan reads. */
const manifest = {
  title: 'vLLM model server',
  steps: [
    {
      title: 'Model and GPU',
      schema: {
        type: 'object',
        required: [
          'model',
          'gpu',
          'tensorParallelSize',
          'maxModelLen',
          'gpuMemoryUtilization',
        ],
        properties: {
          model: { type: 'string', default: 'llama-3.1-8b-instruct' },
          gpu: { type: 'string', default: 'h100-80gb' },
          tensorParallelSize: { type: 'integer', default: 1 },
          maxModelLen: { type: 'integer', default: 8192 },
          gpuMemoryUtilization: { type: 'number', default: 0.9 },
          kvCacheDtype: { type: 'string', default: 'auto' },
          quantization: { type: 'string', default: 'none' },
          gpuMemoryPlan: {
            title: 'GPU memory plan',
            type: 'string',
            'ui:field': SERVING_PLAN_FIELD,
          },
        },
      },
    },
  ],
};

const extensions = [
  {
    name: SERVING_PLAN_FIELD,
    component: ServingPlanField,
    validation: validateServingPlan,
  },
];

type StepperProps = Parameters<typeof Stepper>[0];

async function renderForm(initialState?: StepperProps['initialState']) {
  const onCreate = jest.fn<
    ReturnType<StepperProps['onCreate']>,
    Parameters<StepperProps['onCreate']>
  >(async () => {});
  await renderInTestApp(
    <Stepper
      manifest={manifest}
      extensions={extensions}
      onCreate={onCreate}
      initialState={initialState}
    />,
  );
  return onCreate;
}

const DEFAULTS = {
  model: 'llama-3.1-8b-instruct',
  gpu: 'h100-80gb',
  tensorParallelSize: 1,
  maxModelLen: 8192,
  gpuMemoryUtilization: 0.9,
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** What the planner says for these values: the test derives its expectations from it. */
function planned(values: Record<string, unknown>) {
  const plan: ServingFormPlan = planServingForm(values);
  if (plan.status !== 'planned') throw new Error(plan.status);
  return plan;
}

const range = (plan: ReturnType<typeof planned>) =>
  `${fmt(plan.memory.estimates.low.tokens)}–${fmt(
    plan.memory.estimates.high.tokens,
  )}`;

describe('MlopsServingPlan field in the scaffolder form', () => {
  it('shows the range of a fitting configuration, lists it at review and creates', async () => {
    const plan = planned(DEFAULTS);
    const onCreate = await renderForm();
    expect(await screen.findByTestId('mlops-plan-kv-tokens')).toHaveTextContent(
      range(plan),
    );
    const { low, high } = plan.memory.estimates;
    expect(screen.getByTestId('mlops-plan-concurrency')).toHaveTextContent(
      `${low.maxConcurrency.toFixed(2)}–${high.maxConcurrency.toFixed(2)}`,
    );
    expect(screen.getByTestId('mlops-plan-max-num-seqs')).toHaveTextContent(
      String(plan.maxNumSeqs),
    );
    expect(screen.getByTestId('mlops-plan-verdict')).toHaveTextContent(
      /^fits at the low estimate$/,
    );
    const memory = within(screen.getByTestId('mlops-plan-memory'));
    expect(memory.getByText('Weights').nextSibling).toHaveTextContent(
      /^14\.\d\d GiB$/,
    );
    expect(memory.getByText('CUDA graph estimate')).toBeInTheDocument();
    expect(screen.queryByTestId('mlops-plan-problems')).toBeNull();
    expect(screen.queryByTestId('mlops-plan-warnings')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const review = await screen.findByText(
      new RegExp(
        `^${range(plan)} KV-cache tokens per replica \\(vLLM v[\\d.]+\\);`,
      ),
    );
    expect(review).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        model: 'llama-3.1-8b-instruct',
        gpuMemoryPlan: expect.stringContaining(
          `${range(plan)} KV-cache tokens`,
        ),
      }),
    );
  });

  it('draws concurrency against context length and utilization, with the band and the chosen point', async () => {
    const plan = planned(DEFAULTS);
    await renderForm();
    const byContext = await screen.findByTestId('mlops-plan-chart-context');
    const byUtilization = screen.getByTestId('mlops-plan-chart-utilization');
    for (const chart of [byContext, byUtilization]) {
      expect(chart.querySelector('.recharts-area-area')).not.toBeNull();
      expect(chart.querySelector('.recharts-line-curve')).not.toBeNull();
      expect(chart.querySelectorAll('.mlops-plan-chosen circle')).toHaveLength(
        1,
      );
    }
    const { low, high } = plan.memory.estimates;
    expect(byContext).toHaveTextContent(
      `Chosen 8k: ${low.maxConcurrency.toFixed(
        2,
      )}–${high.maxConcurrency.toFixed(2)} sequences at once`,
    );
    expect(byUtilization).toHaveTextContent(/Chosen 0\.90: /);

    // A longer context moves the chosen point: what it costs is on the same curve.
    const longer = planned({ ...DEFAULTS, maxModelLen: 32768 });
    const field = screen.getByLabelText(/maxModelLen/);
    fireEvent.change(field, { target: { value: '32768' } });
    const moved = await screen.findByText(/^Chosen 32k: /);
    expect(moved).toHaveTextContent(
      `Chosen 32k: ${longer.memory.estimates.low.maxConcurrency.toFixed(2)}–`,
    );
    expect(longer.memory.estimates.low.maxConcurrency).toBeLessThan(
      low.maxConcurrency / 3,
    );
  });

  it('shows a borderline configuration with its reason and lets it through', async () => {
    const probe = planned({ ...DEFAULTS, gpu: 'l4' });
    const { low, high } = probe.memory.estimates;
    const maxModelLen =
      Math.floor((low.tokens + high.tokens) / 2 / 1024) * 1024;
    const plan = planned({ ...DEFAULTS, gpu: 'l4', maxModelLen });
    expect(plan.verdict).toBe('borderline');
    const onCreate = await renderForm({ ...DEFAULTS, gpu: 'l4', maxModelLen });
    expect(await screen.findByTestId('mlops-plan-verdict')).toHaveTextContent(
      /^borderline/,
    );
    const warnings = screen.getByTestId('mlops-plan-warnings');
    expect(warnings).toHaveTextContent(plan.warnings[0]);
    expect(screen.queryByTestId('mlops-plan-problems')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        gpuMemoryPlan: expect.stringMatching(/^BORDERLINE, /),
      }),
    );
  });

  it('refuses 70B in bf16 on one L4 at the step, naming the nearest configuration that fits', async () => {
    const values = { ...DEFAULTS, model: 'llama-3.1-70b-instruct', gpu: 'l4' };
    const plan = planned(values);
    expect(plan.verdict).toBe('does-not-fit');
    const onCreate = await renderForm(values);
    const problems = await screen.findByTestId('mlops-plan-problems');
    expect(problems).toHaveTextContent(plan.problems[0]);
    expect(problems).toHaveTextContent(/the weights need [\d.]+ GiB per GPU/);
    expect(screen.getByTestId('mlops-plan-verdict')).toHaveTextContent(
      /^does not fit$/,
    );
    expect(screen.getByTestId('mlops-plan-max-num-seqs')).toHaveTextContent(
      '—',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const refusals = await screen.findAllByText(
      /Llama 3\.1 70B Instruct does not fit on NVIDIA L4 24GB as configured: .*Nearest configuration that fits: --tensor-parallel-size 8 \(8 GPUs per replica\)/,
    );
    expect(refusals.length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Create' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Review' })).toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
  });
});
