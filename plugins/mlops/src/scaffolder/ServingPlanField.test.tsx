import { renderInTestApp } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, within } from '@testing-library/react';
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

describe('MlopsServingPlan field in the scaffolder form', () => {
  it('shows the plan of a fitting configuration, lists it at review and creates', async () => {
    const onCreate = await renderForm();
    expect(await screen.findByTestId('mlops-plan-kv-tokens')).toHaveTextContent(
      '448,448',
    );
    expect(screen.getByTestId('mlops-plan-concurrency')).toHaveTextContent(
      '54.74',
    );
    expect(screen.getByTestId('mlops-plan-max-num-seqs')).toHaveTextContent(
      '216',
    );
    const memory = within(screen.getByTestId('mlops-plan-memory'));
    expect(memory.getByText('Weights').nextSibling).toHaveTextContent(
      /^14\.\d\d GiB$/,
    );
    expect(screen.queryByTestId('mlops-plan-problems')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const review = await screen.findByText(
      /^448,448 KV-cache tokens per replica; 54\.74 sequences of 8,192 tokens at once; --max-num-seqs 216;/,
    );
    expect(review).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        model: 'llama-3.1-8b-instruct',
        gpuMemoryPlan: expect.stringMatching(/^448,448 KV-cache tokens/),
      }),
    );
  });

  it('refuses 70B in bf16 on one L4 at the step, naming the nearest configuration that fits', async () => {
    const onCreate = await renderForm({
      model: 'llama-3.1-70b-instruct',
      gpu: 'l4',
      tensorParallelSize: 1,
      maxModelLen: 8192,
      gpuMemoryUtilization: 0.9,
    });
    const problems = await screen.findByTestId('mlops-plan-problems');
    expect(problems).toHaveTextContent(/the weights need 131\.42 GiB per GPU/);
    expect(screen.getByTestId('mlops-plan-max-num-seqs')).toHaveTextContent(
      '—',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    const refusals = await screen.findAllByText(
      /Llama 3\.1 70B Instruct does not fit on NVIDIA L4 24GB as configured: .*Nearest configuration that fits: --tensor-parallel-size 4/,
    );
    expect(refusals.length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Create' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Review' })).toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
  });
});
