import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeApi,
  plainEntity,
  renderCard,
  servingStatus,
  vllmMetrics,
  workloadEntity,
} from '../../__testUtils__/fixtures';
import { ServingThroughputCard } from './ServingThroughputCard';
import { chartRows } from './SeriesChart';

const entity = workloadEntity('llama3-8b-chat', 'serving');

describe('ServingThroughputCard', () => {
  it('shows progress while the status loads', async () => {
    await renderCard(<ServingThroughputCard />, { entity, api: fakeApi() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = fakeApi({
      getStatus: async () => {
        throw new Error('cluster mlops-sandbox unreachable');
      },
    });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findAllByText(/cluster mlops-sandbox unreachable/),
    ).not.toHaveLength(0);
  });

  it('shows the missing-annotation state', async () => {
    const api = fakeApi();
    await renderCard(<ServingThroughputCard />, { entity: plainEntity, api });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(api.getMetrics).not.toHaveBeenCalled();
  });

  it('shows live vLLM throughput, queue, latency, KV cache and a chart', async () => {
    const api = fakeApi({ getStatus: async () => servingStatus() });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-serving-tokens-per-second'),
    ).toHaveTextContent('812.4');
    expect(screen.getByTestId('mlops-serving-replicas')).toHaveTextContent(
      '2/3 replicas ready',
    );
    expect(screen.getByTestId('mlops-serving-running')).toHaveTextContent('17');
    expect(screen.getByTestId('mlops-serving-waiting')).toHaveTextContent('5');
    expect(screen.getByTestId('mlops-serving-ttft')).toHaveTextContent(
      '85 ms / 310 ms',
    );
    expect(screen.getByTestId('mlops-serving-itl')).toHaveTextContent(
      '21 ms / 48 ms',
    );
    expect(screen.getByTestId('mlops-serving-kv-cache')).toHaveTextContent(
      '42%',
    );
    expect(screen.getByTestId('mlops-serving-gpu')).toHaveTextContent('63%');
    expect(screen.getByTestId('mlops-serving-chart')).toBeInTheDocument();
    expect(api.getMetrics).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'llama3-8b-chat' },
      { range: '15m', step: '15s' },
    );
  });

  describe('planned against running KV cache', () => {
    const planned = {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          'mlops/kv-cache-plan': JSON.stringify({
            vllmRelease: 'v0.29.0',
            verdict: 'fits',
            maxModelLen: 8192,
            kvCache: {
              blockSize: 16,
              blocks: { low: 25000, middle: 26000, high: 26500 },
              tokens: { low: 400000, middle: 416000, high: 424000 },
            },
          }),
        },
      },
    };
    const withPool = (numGpuBlocks: number) =>
      fakeApi({
        getStatus: async () => servingStatus(),
        getMetrics: async () => ({
          ...vllmMetrics,
          kvCache: { numGpuBlocks, blockSize: 16, tokens: numGpuBlocks * 16 },
        }),
      });

    it('shows the planned range, the running pool and the difference', async () => {
      await renderCard(<ServingThroughputCard />, {
        entity: planned,
        api: withPool(25625),
      });
      expect(
        await screen.findByTestId('mlops-serving-kv-planned'),
      ).toHaveTextContent('400,000–424,000');
      expect(screen.getByTestId('mlops-serving-kv-running')).toHaveTextContent(
        '410,000',
      );
      expect(
        screen.getByTestId('mlops-serving-kv-difference'),
      ).toHaveTextContent('-1.4%');
      expect(screen.queryByTestId('mlops-serving-kv-warning')).toBeNull();
    });

    it('warns when the running server holds less than the low estimate', async () => {
      await renderCard(<ServingThroughputCard />, {
        entity: planned,
        api: withPool(24000),
      });
      expect(
        await screen.findByTestId('mlops-serving-kv-warning'),
      ).toHaveTextContent(
        "The running server holds 384,000 KV tokens, below the plan's low estimate of 400,000",
      );
      expect(
        screen.getByTestId('mlops-serving-kv-difference'),
      ).toHaveTextContent('-7.7%');
    });

    it('shows nothing of the kind for an entity without a plan', async () => {
      await renderCard(<ServingThroughputCard />, {
        entity,
        api: withPool(24000),
      });
      await screen.findByTestId('mlops-serving-tokens-per-second');
      expect(screen.queryByTestId('mlops-serving-kv-plan')).toBeNull();
    });
  });

  it('asks for another range when the user picks one', async () => {
    const api = fakeApi({ getStatus: async () => servingStatus() });
    await renderCard(<ServingThroughputCard />, { entity, api });
    await screen.findByTestId('mlops-serving-tokens-per-second');
    await userEvent.click(screen.getByRole('button', { name: /15 min/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: '1 hour' }),
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(expect.anything(), {
        range: '1h',
        step: '1m',
      }),
    );
  });

  it('says why metrics are unavailable and still shows the replicas', async () => {
    const api = fakeApi({
      getStatus: async () => servingStatus(),
      getMetrics: async () => ({
        ...vllmMetrics,
        available: false,
        reason: 'no Prometheus configured for cluster mlops-sandbox',
        series: {},
        latest: {},
      }),
    });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-serving-metrics-unavailable'),
    ).toHaveTextContent('no Prometheus configured for cluster mlops-sandbox');
    expect(screen.getByTestId('mlops-serving-replicas')).toBeInTheDocument();
  });

  it('shows Prometheus down as the backend reports it, without losing the replicas', async () => {
    const api = fakeApi({
      getStatus: async () => servingStatus(),
      getMetrics: async () => ({
        ...vllmMetrics,
        available: false,
        reason: 'Prometheus is unreachable: connection refused (ECONNREFUSED)',
        series: {},
        latest: {},
      }),
    });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-serving-metrics-unavailable'),
    ).toHaveTextContent(
      'Metrics are unavailable: Prometheus is unreachable: connection refused (ECONNREFUSED).',
    );
    expect(screen.getByTestId('mlops-serving-replicas')).toHaveTextContent(
      '2/3 replicas ready',
    );
    expect(screen.queryByTestId('mlops-serving-chart')).not.toBeInTheDocument();
  });

  it('keeps the replicas when the metrics request itself fails', async () => {
    const api = fakeApi({
      getStatus: async () => servingStatus(),
      getMetrics: async () => {
        throw new Error('Request failed with 503 Service Unavailable');
      },
    });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findAllByText(/503 Service Unavailable/),
    ).not.toHaveLength(0);
    expect(screen.getByTestId('mlops-serving-replicas')).toBeInTheDocument();
  });

  it('shows the Triton variant: inferences/s, queue time, batch size', async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({
          serving: { ...servingStatus().serving!, engine: 'triton' },
        }),
      getMetrics: async () => ({
        ...vllmMetrics,
        engine: 'triton',
        series: { inferencesPerSecond: [[1795740520, 120]] },
        latest: {
          inferencesPerSecond: 120,
          queueTimeSeconds: 0.004,
          batchSize: 7.5,
          pendingRequests: 3,
          gpuUtilizationPercent: 80,
        },
      }),
    });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findByTestId('mlops-serving-inferences-per-second'),
    ).toHaveTextContent('120');
    expect(screen.getByTestId('mlops-serving-queue-time')).toHaveTextContent(
      '4 ms',
    );
    expect(screen.getByTestId('mlops-serving-batch-size')).toHaveTextContent(
      '7.5',
    );
    expect(screen.getByText(/Triton/)).toBeInTheDocument();
  });

  it('shows an empty state when the cluster holds no model server', async () => {
    const api = fakeApi({
      getStatus: async () =>
        servingStatus({ serving: undefined, cacheReady: false }),
    });
    await renderCard(<ServingThroughputCard />, { entity, api });
    expect(
      await screen.findByText('No model server in the cluster yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/has not finished listing/)).toBeInTheDocument();
  });
});

describe('chartRows', () => {
  it('joins series on their timestamps, oldest first', () => {
    expect(
      chartRows(
        {
          requestsRunning: [
            [20, 2],
            [10, 1],
          ],
          requestsWaiting: [[20, 5]],
        },
        ['requestsRunning', 'requestsWaiting'],
      ),
    ).toEqual([
      { t: 10, requestsRunning: 1 },
      { t: 20, requestsRunning: 2, requestsWaiting: 5 },
    ]);
  });
});
