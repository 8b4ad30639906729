import { screen } from '@testing-library/react';
import {
  fakeApi,
  plainEntity,
  renderCard,
  servingStatus,
  trainingStatus,
  workloadEntity,
} from '../../__testUtils__/fixtures';
import { MlopsContent } from './MlopsContent';

describe('MlopsContent', () => {
  it('lays out serving, autoscaler and reconcile cards for a serving workload', async () => {
    const api = fakeApi({ getStatus: async () => servingStatus() });
    await renderCard(<MlopsContent />, {
      entity: workloadEntity('llama3-8b-chat', 'serving'),
      api,
    });
    expect(await screen.findByTestId('mlops-serving-card')).toBeInTheDocument();
    expect(screen.getByTestId('mlops-autoscaler-card')).toBeInTheDocument();
    expect(screen.getByTestId('mlops-reconcile-card')).toBeInTheDocument();
    expect(screen.queryByTestId('mlops-training-card')).toBeNull();
  });

  it('lays out training and reconcile cards for a training workload', async () => {
    const api = fakeApi({ getStatus: async () => trainingStatus() });
    await renderCard(<MlopsContent />, {
      entity: workloadEntity('resnet50-ddp', 'training'),
      api,
    });
    expect(
      await screen.findByTestId('mlops-training-card'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('mlops-reconcile-card')).toBeInTheDocument();
    expect(screen.queryByTestId('mlops-serving-card')).toBeNull();
    expect(api.getMetrics).not.toHaveBeenCalled();
  });

  it('shows the missing-annotation state for other entities', async () => {
    await renderCard(<MlopsContent />, { entity: plainEntity, api: fakeApi() });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
  });
});
