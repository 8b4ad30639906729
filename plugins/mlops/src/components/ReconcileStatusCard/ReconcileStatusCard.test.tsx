import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeApi,
  plainEntity,
  renderCard,
  servingStatus,
  syncedRecord,
  workloadEntity,
} from '../../__testUtils__/fixtures';
import { ReconcileStatusCard } from './ReconcileStatusCard';

const entity = workloadEntity('llama3-8b-chat', 'serving');

describe('ReconcileStatusCard', () => {
  it('shows progress while the status loads', async () => {
    await renderCard(<ReconcileStatusCard />, { entity, api: fakeApi() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = fakeApi({
      getStatus: async () => {
        throw new Error('status unavailable');
      },
    });
    await renderCard(<ReconcileStatusCard />, { entity, api });
    expect(await screen.findAllByText(/status unavailable/)).not.toHaveLength(
      0,
    );
  });

  it('shows the missing-annotation state', async () => {
    await renderCard(<ReconcileStatusCard />, {
      entity: plainEntity,
      api: fakeApi(),
    });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
  });

  it('shows revision, objects applied and drift, and syncs on "Sync now"', async () => {
    const api = fakeApi({
      getStatus: async () => servingStatus(),
      sync: async () => ({
        ...syncedRecord,
        revision: 'ffffeeee00001111',
        lastAttemptAt: '2026-11-27T01:00:00.000Z',
      }),
    });
    await renderCard(<ReconcileStatusCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-reconcile-revision'),
    ).toHaveTextContent('8221d0f988a4');
    expect(screen.getByTestId('mlops-reconcile-applied')).toHaveTextContent(
      '2',
    );
    expect(screen.getByTestId('mlops-reconcile-drift')).toHaveTextContent('1');
    expect(
      screen.getByText(/drift: spec.template.spec.containers\[0\].args/),
    ).toBeInTheDocument();
    await userEvent.click(await screen.findByTestId('mlops-sync'));
    expect(api.sync).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'llama3-8b-chat' },
      { confirmPrune: undefined },
    );
    await waitFor(() =>
      expect(screen.getByTestId('mlops-reconcile-revision')).toHaveTextContent(
        'ffffeeee0000',
      ),
    );
  });

  it('shows the last error with its reason, and a confirmed sync when prune is blocked', async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({
          reconcile: {
            ...syncedRecord,
            result: 'prune-blocked',
            message:
              'prune would delete 3 of 3 objects (100%), more than the allowed 50%; sync with confirmPrune',
          },
        }),
    });
    await renderCard(<ReconcileStatusCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-reconcile-error'),
    ).toHaveTextContent(/more than the allowed 50%/);
    expect(screen.getByTestId('mlops-reconcile-result')).toHaveTextContent(
      'prune-blocked',
    );
    await userEvent.click(await screen.findByTestId('mlops-sync-confirm'));
    expect(api.sync).toHaveBeenCalledWith(expect.anything(), {
      confirmPrune: true,
    });
  });

  it('marks an object another entity also declares as contested, naming it', async () => {
    const status = servingStatus();
    const [first, ...rest] = status.reconcile!.objects;
    const api = fakeApi({
      getStatus: async () => ({
        ...status,
        reconcile: {
          ...status.reconcile!,
          objects: [
            {
              ...first,
              action: 'unchanged',
              contestedBy: ['component:default/intruder'],
              message:
                'also declared by component:default/intruder, which is refused: this entity owns it',
            },
            ...rest,
          ],
        },
      }),
    });
    await renderCard(<ReconcileStatusCard />, { entity, api });
    expect(
      await screen.findByText(/unchanged · contested/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/also declared by component:default\/intruder/),
    ).toBeInTheDocument();
  });

  it('says when the entity was never reconciled', async () => {
    const api = fakeApi({
      getStatus: async () => servingStatus({ reconcile: null }),
    });
    await renderCard(<ReconcileStatusCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-reconcile-never'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('mlops-sync')).toBeInTheDocument();
  });

  it('hides "Sync now" without the sync permission', async () => {
    const api = fakeApi({ getStatus: async () => servingStatus() });
    await renderCard(<ReconcileStatusCard />, {
      entity,
      api,
      syncAllowed: false,
    });
    await screen.findByTestId('mlops-reconcile-revision');
    expect(screen.queryByTestId('mlops-sync')).toBeNull();
  });
});
