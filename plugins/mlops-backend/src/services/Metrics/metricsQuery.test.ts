import { batchedQuery, seriesQueries } from './metricsQuery';
import { parseDuration } from './PrometheusMetrics';

describe('seriesQueries', () => {
  const sel = {
    namespace: 'ml-serving',
    entityLabel: { name: 'mlops_entity', value: '0123456789abcdef0123' },
  };

  it("selects the entity's pods by namespace and ownership label, never by a name prefix", () => {
    const q = seriesQueries('vllm', sel);
    expect(q.generationTokensPerSecond).toBe(
      'sum(rate(vllm:generation_tokens_total{namespace="ml-serving",mlops_entity="0123456789abcdef0123"}[1m]))',
    );
    expect(Object.values(q).join(' ')).not.toContain('pod=~');
  });

  it('accepts the current and the renamed vLLM metric names', () => {
    const q = seriesQueries('vllm', sel);
    expect(q.kvCacheUsage).toContain('vllm:kv_cache_usage_perc');
    expect(q.kvCacheUsage).toContain('vllm:gpu_cache_usage_perc');
    expect(q.interTokenLatencyP95Seconds).toContain(
      'vllm:inter_token_latency_seconds_bucket',
    );
    expect(q.interTokenLatencyP95Seconds).toContain(
      'vllm:time_per_output_token_seconds_bucket',
    );
  });

  it('asks Triton for inferences, queue time and achieved batch size', () => {
    const q = seriesQueries('triton', sel);
    expect(Object.keys(q).sort()).toEqual([
      'batchSize',
      'gpuMemoryUsedBytes',
      'gpuUtilizationPercent',
      'inferencesPerSecond',
      'pendingRequests',
      'queueTimeSeconds',
    ]);
    expect(q.batchSize).toContain('nv_inference_exec_count');
  });

  it('escapes names so an entity cannot inject PromQL', () => {
    const q = seriesQueries('vllm', {
      namespace: 'a"}) or up{x="',
      entityLabel: { name: 'mlops_entity', value: 'b"} or up{' },
    });
    expect(q.requestsWaiting).toBe(
      'sum(vllm:num_requests_waiting{namespace="a\\"}) or up{x=\\"",mlops_entity="b\\"} or up{"})',
    );
  });

  it('joins every series into one labelled query', () => {
    const joined = batchedQuery({
      requestsRunning: 'sum(a)',
      requestsWaiting: 'sum(b)',
    });
    expect(joined).toBe(
      'label_replace(sum(a), "mlops_series", "requestsRunning", "", "") or label_replace(sum(b), "mlops_series", "requestsWaiting", "", "")',
    );
  });
});

describe('parseDuration', () => {
  it('reads s, m and h and refuses anything else', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('1d')).toBeUndefined();
    expect(parseDuration('-5m')).toBeUndefined();
    expect(parseDuration('5m; drop')).toBeUndefined();
  });
});
