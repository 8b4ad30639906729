import {
  batchedQuery,
  kvCacheConfigQuery,
  seriesQueries,
} from './metricsQuery';
import { parseDuration, smallestKvCache } from './PrometheusMetrics';

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

describe('the running KV cache (vllm:cache_config_info)', () => {
  const sel = {
    namespace: 'ml-serving',
    entityLabel: { name: 'mlops_entity', value: '0123456789abcdef0123' },
  };

  it('keeps the labels that carry the pool, one series per configuration', () => {
    const q = kvCacheConfigQuery(sel);
    expect(q).toBe(
      'max by (num_gpu_blocks, block_size) (vllm:cache_config_info{namespace="ml-serving",mlops_entity="0123456789abcdef0123"})',
    );
    expect(batchedQuery({}, { kvCacheConfig: q })).toBe(
      `label_replace(${q}, "mlops_series", "kvCacheConfig", "", "")`,
    );
  });

  const info = (blocks: string, blockSize: string, lastAt: number) => ({
    metric: {
      mlops_series: 'kvCacheConfig',
      num_gpu_blocks: blocks,
      block_size: blockSize,
    },
    values: [[lastAt, '1']] as Array<[number, string]>,
  });

  it('reads blocks × block size from the labels and takes the smallest live replica', () => {
    const results = [
      info('26000', '16', 1000),
      info('25000', '16', 1000),
      // A pool that stopped being exported before the end of the range (restarted server).
      info('100', '16', 900),
      info('9', 'x', 1000),
      { metric: { mlops_series: 'requestsRunning' }, values: [[1000, '3']] },
    ] as Parameters<typeof smallestKvCache>[0];
    expect(smallestKvCache(results, 940)).toEqual({
      numGpuBlocks: 25000,
      blockSize: 16,
      tokens: 400000,
    });
    expect(smallestKvCache(results.slice(3), 940)).toBeUndefined();
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
