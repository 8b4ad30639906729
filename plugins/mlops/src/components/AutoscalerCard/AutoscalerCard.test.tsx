import { screen } from '@testing-library/react';
import {
  fakeApi,
  plainEntity,
  renderCard,
  servingStatus,
  workloadEntity,
} from '../../__testUtils__/fixtures';
import { AutoscalerCard } from './AutoscalerCard';

const entity = workloadEntity('llama3-8b-chat', 'serving');
const base = servingStatus();

describe('AutoscalerCard', () => {
  it('shows progress while the status loads', async () => {
    await renderCard(<AutoscalerCard />, { entity, api: fakeApi() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = fakeApi({
      getStatus: async () => {
        throw new Error('backend down');
      },
    });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(await screen.findAllByText(/backend down/)).not.toHaveLength(0);
  });

  it('shows the missing-annotation state', async () => {
    await renderCard(<AutoscalerCard />, {
      entity: plainEntity,
      api: fakeApi(),
    });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
  });

  it('shows min, current, desired and max replicas, triggers, conditions and the HPA', async () => {
    const api = fakeApi({ getStatus: async () => base });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(await screen.findByTestId('mlops-autoscaler-min')).toHaveTextContent(
      '1',
    );
    expect(screen.getByTestId('mlops-autoscaler-current')).toHaveTextContent(
      '2',
    );
    expect(screen.getByTestId('mlops-autoscaler-desired')).toHaveTextContent(
      '3',
    );
    expect(screen.getByTestId('mlops-autoscaler-max')).toHaveTextContent('4');
    expect(screen.getByText('keda-hpa-llama3-8b-chat')).toBeInTheDocument();
    expect(screen.getByText('queue-depth')).toBeInTheDocument();
    expect(screen.getByText('Happy')).toBeInTheDocument();
    expect(screen.getByText('6m 00s')).toBeInTheDocument();
    expect(screen.getByText('ScalerActive')).toBeInTheDocument();
    expect(screen.getByTestId('mlops-autoscaler-health')).toHaveTextContent(
      'healthy',
    );
    expect(screen.queryByTestId('mlops-autoscaler-note')).toBeNull();
  });

  it("prefers the HPA's replicas and shows each trigger's current value against its threshold", async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({
          autoscaling: {
            ...base.autoscaling!,
            currentReplicas: 3,
            desiredReplicas: 4,
            triggers: base.autoscaling!.triggers.map((t, i) => ({
              ...t,
              currentValue: i === 0 ? '31' : '92',
            })),
          },
        }),
    });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-autoscaler-current'),
    ).toHaveTextContent('3');
    expect(screen.getByTestId('mlops-autoscaler-desired')).toHaveTextContent(
      '4',
    );
    const rows = screen
      .getByTestId('mlops-autoscaler-triggers')
      .querySelectorAll('tbody tr');
    expect(rows[0]).toHaveTextContent(/queue-depth.*31.*8/);
  });

  it('says when the workload is scaled to zero', async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({
          serving: { ...base.serving!, desiredReplicas: 0, readyReplicas: 0 },
          autoscaling: { ...base.autoscaling!, minReplicas: 0 },
        }),
    });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-autoscaler-note'),
    ).toHaveTextContent(/Scaled to zero/);
    expect(screen.getByTestId('mlops-autoscaler-desired')).toHaveTextContent(
      '0',
    );
  });

  it('warns about an active fallback with its reason', async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({
          autoscaling: {
            ...base.autoscaling!,
            health: 'degraded',
            conditions: [
              { type: 'Ready', status: 'True', reason: 'ScaledObjectReady' },
              {
                type: 'Fallback',
                status: 'True',
                reason: 'FallbackExists',
                message: 'At least one trigger is falling back',
              },
            ],
            triggers: [{ ...base.autoscaling!.triggers[0], health: 'Failing' }],
          },
        }),
    });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-autoscaler-note'),
    ).toHaveTextContent(/Fallback: .*At least one trigger is falling back/);
    expect(screen.getByTestId('mlops-autoscaler-health')).toHaveTextContent(
      'degraded',
    );
    expect(screen.getByText('Failing')).toBeInTheDocument();
  });

  it('shows a paused scaler', async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({
          autoscaling: {
            ...base.autoscaling!,
            paused: true,
            health: 'suspended',
          },
        }),
    });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-autoscaler-health'),
    ).toHaveTextContent('paused');
  });

  it('shows an empty state without a ScaledObject', async () => {
    const api = fakeApi({
      getStatus: async () => servingStatus({ autoscaling: undefined }),
    });
    await renderCard(<AutoscalerCard />, { entity, api });
    expect(
      await screen.findByText('No KEDA ScaledObject in the cluster yet'),
    ).toBeInTheDocument();
  });
});
