import type { MlopsMetricName } from '@mlops-plugins/backstage-plugin-mlops-common';

/**
 * Which series are the entity's: its namespace and the label its pods carry (`mlops/entity`,
 * which the reconciler sets on every pod template), as Prometheus holds it. A pod-name prefix
 * would also match a sibling workload named `<name>-foo`.
 */
export interface MetricsSelector {
  namespace: string;
  /** Prometheus label name (validated at config time) and the entity's label value. */
  entityLabel: { name: string; value: string };
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

function labels(sel: MetricsSelector): string {
  return `namespace="${escape(sel.namespace)}",${
    sel.entityLabel.name
  }="${escape(sel.entityLabel.value)}"`;
}

/** Both current and renamed vLLM metrics: whichever the server exposes answers. */
const either = (a: string, b: string) => `(${a}) or (${b})`;

const rate = (metric: string, l: string) => `sum(rate(${metric}{${l}}[1m]))`;
const quantile = (q: number, metric: string, l: string) =>
  `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket{${l}}[1m])))`;

/** The PromQL of each series, per engine. Pure; the names match MlopsMetricName. */
export function seriesQueries(
  engine: 'vllm' | 'triton',
  sel: MetricsSelector,
): Partial<Record<MlopsMetricName, string>> {
  const l = labels(sel);
  const gpu = {
    gpuUtilizationPercent: `avg(DCGM_FI_DEV_GPU_UTIL{${l}})`,
    // DCGM reports framebuffer MiB.
    gpuMemoryUsedBytes: `sum(DCGM_FI_DEV_FB_USED{${l}}) * 1048576`,
  };
  if (engine === 'triton') {
    return {
      inferencesPerSecond: rate('nv_inference_count', l),
      queueTimeSeconds: `${rate(
        'nv_inference_queue_duration_us',
        l,
      )} / clamp_min(${rate('nv_inference_request_success', l)}, 1e-9) / 1e6`,
      batchSize: `${rate('nv_inference_count', l)} / clamp_min(${rate(
        'nv_inference_exec_count',
        l,
      )}, 1e-9)`,
      pendingRequests: `sum(nv_inference_pending_request_count{${l}})`,
      ...gpu,
    };
  }
  return {
    generationTokensPerSecond: rate('vllm:generation_tokens_total', l),
    promptTokensPerSecond: rate('vllm:prompt_tokens_total', l),
    requestsRunning: `sum(vllm:num_requests_running{${l}})`,
    requestsWaiting: `sum(vllm:num_requests_waiting{${l}})`,
    kvCacheUsage: either(
      `avg(vllm:kv_cache_usage_perc{${l}})`,
      `avg(vllm:gpu_cache_usage_perc{${l}})`,
    ),
    ttftP50Seconds: quantile(0.5, 'vllm:time_to_first_token_seconds', l),
    ttftP95Seconds: quantile(0.95, 'vllm:time_to_first_token_seconds', l),
    interTokenLatencyP50Seconds: either(
      quantile(0.5, 'vllm:inter_token_latency_seconds', l),
      quantile(0.5, 'vllm:time_per_output_token_seconds', l),
    ),
    interTokenLatencyP95Seconds: either(
      quantile(0.95, 'vllm:inter_token_latency_seconds', l),
      quantile(0.95, 'vllm:time_per_output_token_seconds', l),
    ),
    preemptionsPerSecond: rate('vllm:num_preemptions_total', l),
    ...gpu,
  };
}

/** The `mlops_series` of the KV-cache configuration, which is read from labels, not values. */
export const KV_CACHE_CONFIG_SERIES = 'kvCacheConfig';

/**
 * vLLM exports its cache configuration as an info gauge (value 1) whose labels carry
 * `num_gpu_blocks` and `block_size` (vllm/v1/metrics/loggers.py, `vllm:cache_config_info`);
 * one series per distinct configuration among the replicas.
 */
export function kvCacheConfigQuery(sel: MetricsSelector): string {
  return `max by (num_gpu_blocks, block_size) (vllm:cache_config_info{${labels(
    sel,
  )}})`;
}

/** Label every series with its name and join them: one range query answers the whole card. */
export function batchedQuery(
  queries: Partial<Record<MlopsMetricName, string>>,
  extra: Record<string, string> = {},
): string {
  return Object.entries({ ...queries, ...extra })
    .map(
      ([name, q]) => `label_replace(${q}, "mlops_series", "${name}", "", "")`,
    )
    .join(' or ');
}
