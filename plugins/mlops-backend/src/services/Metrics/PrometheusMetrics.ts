import type {
  MlopsKvCacheConfig,
  MlopsMetricName,
  MlopsMetricsResponse,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  KV_CACHE_CONFIG_SERIES,
  batchedQuery,
  kvCacheConfigQuery,
  seriesQueries,
  type MetricsSelector,
} from './metricsQuery';

export interface MetricsRequest {
  entityRef: string;
  engine: 'vllm' | 'triton';
  selector: MetricsSelector;
  rangeSeconds: number;
  stepSeconds: number;
}

/**
 * Range queries against one cluster's Prometheus (URL from config only). One HTTP request per
 * card refresh, and a short-lived cache shared by all viewers: ten viewers of one entity within
 * `ttlMs` cost one query.
 */
export class PrometheusMetrics {
  private readonly cache = new Map<
    string,
    { at: number; value: Promise<MlopsMetricsResponse> }
  >();
  readonly stats = { queries: 0 };

  constructor(
    private readonly baseUrl: string | undefined,
    private readonly options: {
      ttlMs?: number;
      timeoutMs?: number;
      now?: () => number;
    } = {},
  ) {}

  async query(req: MetricsRequest): Promise<MlopsMetricsResponse> {
    const now = this.options.now?.() ?? Date.now();
    const key = JSON.stringify([
      req.entityRef,
      req.engine,
      req.selector,
      req.rangeSeconds,
      req.stepSeconds,
    ]);
    const hit = this.cache.get(key);
    if (hit && now - hit.at < (this.options.ttlMs ?? 5000)) return hit.value;
    const value = this.fetch(req, now);
    this.cache.set(key, { at: now, value });
    for (const [k, v] of this.cache) {
      if (now - v.at > 60_000) this.cache.delete(k);
    }
    return value;
  }

  private async fetch(
    req: MetricsRequest,
    now: number,
  ): Promise<MlopsMetricsResponse> {
    const base: MlopsMetricsResponse = {
      entityRef: req.entityRef,
      engine: req.engine,
      rangeSeconds: req.rangeSeconds,
      stepSeconds: req.stepSeconds,
      available: false,
      series: {},
      latest: {},
    };
    if (!this.baseUrl) {
      return {
        ...base,
        reason:
          'no Prometheus is configured for this cluster (mlops.clusters[].prometheus.url)',
      };
    }
    const end = Math.floor(now / 1000);
    const params = new URLSearchParams({
      query: batchedQuery(
        seriesQueries(req.engine, req.selector),
        req.engine === 'vllm'
          ? { [KV_CACHE_CONFIG_SERIES]: kvCacheConfigQuery(req.selector) }
          : {},
      ),
      start: String(end - req.rangeSeconds),
      end: String(end),
      step: String(req.stepSeconds),
    });
    this.stats.queries++;
    let body: any;
    try {
      const res = await fetch(
        `${this.baseUrl.replace(/\/$/, '')}/api/v1/query_range`,
        {
          method: 'POST',
          body: params,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        },
      );
      body = await res.json().catch(() => undefined);
      if (!res.ok || body?.status !== 'success') {
        return {
          ...base,
          reason: `Prometheus answered ${res.status}: ${
            body?.error ?? 'not a Prometheus API response'
          }`,
        };
      }
    } catch (error) {
      return {
        ...base,
        reason: `Prometheus is unreachable: ${unreachableReason(
          error,
          this.options.timeoutMs ?? 10_000,
        )}`,
      };
    }
    const series: MlopsMetricsResponse['series'] = {};
    const latest: MlopsMetricsResponse['latest'] = {};
    const results = body.data.result as Array<{
      metric: Record<string, string>;
      values: Array<[number, string]>;
    }>;
    const kvCache = smallestKvCache(results, end - 2 * req.stepSeconds);
    for (const result of results) {
      const name = result.metric.mlops_series as MlopsMetricName;
      const points = result.values
        .map(([t, v]) => [Number(t), Number(v)] as [number, number])
        .filter(([, v]) => Number.isFinite(v));
      if (!name || points.length === 0 || series[name]) continue;
      series[name] = points;
      latest[name] = points[points.length - 1][1];
    }
    return {
      ...base,
      available: true,
      series,
      latest,
      ...(kvCache ? { kvCache } : {}),
    };
  }
}

/**
 * The smallest KV cache among the configurations still exported near the end of the range (a
 * restarted server with a new pool leaves its old series behind until it goes stale).
 */
export function smallestKvCache(
  results: Array<{
    metric: Record<string, string>;
    values: Array<[number, string]>;
  }>,
  since: number,
): MlopsKvCacheConfig | undefined {
  let smallest: MlopsKvCacheConfig | undefined;
  for (const { metric, values } of results) {
    if (metric.mlops_series !== KV_CACHE_CONFIG_SERIES) continue;
    const last = values[values.length - 1];
    const numGpuBlocks = Number(metric.num_gpu_blocks);
    const blockSize = Number(metric.block_size);
    if (!last || Number(last[0]) < since) continue;
    if (!(numGpuBlocks > 0 && blockSize > 0)) continue;
    const tokens = numGpuBlocks * blockSize;
    if (!smallest || tokens < smallest.tokens) {
      smallest = { numGpuBlocks, blockSize, tokens };
    }
  }
  return smallest;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
};

/** Why Prometheus could not be asked, never with its address: the frontend must not learn it. */
function unreachableReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const code = e?.cause?.code;
  if (!code) return 'the request failed';
  return `${NETWORK_ERRORS[code] ?? 'network error'} (${code})`;
}

/** `15m`, `1h`, `30s` → seconds; undefined for anything else. */
export function parseDuration(value: string): number | undefined {
  const m = /^(\d{1,5})(s|m|h)$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}
