import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  fakeApi,
  plainEntity,
  renderCard,
  trainingStatus,
  workloadEntity,
} from '../../__testUtils__/fixtures';
import { TrainingStatusCard } from './TrainingStatusCard';

const entity = workloadEntity('resnet50-ddp', 'training');

describe('TrainingStatusCard', () => {
  it('shows progress while the status loads', async () => {
    await renderCard(<TrainingStatusCard />, { entity, api: fakeApi() });
    expect(screen.getByText('Training job')).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = fakeApi({
      getStatus: async () => {
        throw new Error('missing permission mlops.workload.read');
      },
    });
    await renderCard(<TrainingStatusCard />, { entity, api });
    expect(
      await screen.findAllByText(/missing permission mlops.workload.read/),
    ).not.toHaveLength(0);
  });

  it('surfaces an HTTP error body through ResponseErrorPanel', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: 'entity not found' },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response as any);
    const api = fakeApi({
      getStatus: async () => {
        throw error;
      },
    });
    await renderCard(<TrainingStatusCard />, { entity, api });
    expect(await screen.findAllByText(/entity not found/)).not.toHaveLength(0);
  });

  it('shows the missing-annotation state without calling the backend', async () => {
    const api = fakeApi();
    await renderCard(<TrainingStatusCard />, { entity: plainEntity, api });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(api.getStatus).not.toHaveBeenCalled();
  });

  it('shows a running PyTorchJob with replicas, elapsed time and conditions', async () => {
    const api = fakeApi({ getStatus: async () => trainingStatus() });
    await renderCard(<TrainingStatusCard />, { entity, api });
    expect(await screen.findByTestId('mlops-training-phase')).toHaveTextContent(
      'Running',
    );
    expect(screen.getByText('Elapsed')).toBeInTheDocument();
    expect(screen.getByTestId('mlops-training-duration')).toHaveTextContent(
      '2m 05s',
    );
    const worker = screen.getByTestId('mlops-replicas-Worker');
    expect(within(worker).getAllByRole('cell')[1]).toHaveTextContent('3');
    expect(within(worker).getByText('Kubernetes tab')).toHaveAttribute(
      'href',
      '/catalog/default/component/resnet50-ddp/kubernetes',
    );
    expect(screen.getByText('PyTorchJobRunning')).toBeInTheDocument();
    expect(screen.getByText('Running', { selector: 'td' })).toBeInTheDocument();
    expect(screen.getByTestId('mlops-updated')).toHaveTextContent(/Updated/);
  });

  it('shows a failed job with its restarts, reason and total duration', async () => {
    const status = trainingStatus({
      phase: 'Failed',
      health: 'failed',
      restarts: 2,
      completionTime: '2026-11-27T00:58:21Z',
      durationSeconds: 600,
      replicas: {
        Master: { active: 0, succeeded: 0, failed: 1 },
        Worker: { active: 0, succeeded: 0, failed: 3 },
      },
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'PyTorchJobFailed',
          message: 'Worker 2 exited with code 137 (OOMKilled)',
          lastTransitionTime: '2026-11-27T00:58:21Z',
        },
      ],
    });
    const api = fakeApi({ getStatus: async () => status });
    await renderCard(<TrainingStatusCard />, { entity, api });
    expect(await screen.findByTestId('mlops-training-phase')).toHaveTextContent(
      'Failed',
    );
    expect(screen.getByTestId('mlops-training-restarts')).toHaveTextContent(
      '2',
    );
    expect(screen.getByText('Total duration')).toBeInTheDocument();
    expect(screen.getByTestId('mlops-training-duration')).toHaveTextContent(
      '10m 00s',
    );
    expect(
      screen.getByText('Worker 2 exited with code 137 (OOMKilled)'),
    ).toBeInTheDocument();
  });

  it('says why there is no job yet', async () => {
    const api = fakeApi({
      getStatus: async () => ({
        ...trainingStatus(),
        training: undefined,
        reconcile: null,
      }),
    });
    await renderCard(<TrainingStatusCard />, { entity, api });
    expect(
      await screen.findByText('No training job in the cluster yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/has not been reconciled yet/)).toBeInTheDocument();
  });
});
