import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PrometheusMetrics } from './PrometheusMetrics';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A vLLM-shaped /metrics endpoint whose counters move, so rates and quantiles are real. */
function vllmExporter(start: number, running = 12) {
  return http.createServer((_req, res) => {
    const t = (Date.now() - start) / 1000;
    const lines = [
      '# TYPE vllm:generation_tokens_total counter',
      `vllm:generation_tokens_total{model_name="llama3-8b-chat"} ${Math.round(
        t * 250,
      )}`,
      '# TYPE vllm:prompt_tokens_total counter',
      `vllm:prompt_tokens_total{model_name="llama3-8b-chat"} ${Math.round(
        t * 100,
      )}`,
      '# TYPE vllm:num_requests_running gauge',
      `vllm:num_requests_running{model_name="llama3-8b-chat"} ${running}`,
      '# TYPE vllm:num_requests_waiting gauge',
      'vllm:num_requests_waiting{model_name="llama3-8b-chat"} 3',
      // The pre-0.12 name, to prove the query accepts it.
      '# TYPE vllm:gpu_cache_usage_perc gauge',
      'vllm:gpu_cache_usage_perc{model_name="llama3-8b-chat"} 0.42',
      '# TYPE vllm:inter_token_latency_seconds histogram',
      ...[0.01, 0.025, 0.05, 0.1].map(
        (le, i) =>
          `vllm:inter_token_latency_seconds_bucket{le="${le}"} ${Math.round(
            t * [10, 60, 95, 100][i],
          )}`,
      ),
      `vllm:inter_token_latency_seconds_bucket{le="+Inf"} ${Math.round(
        t * 100,
      )}`,
      `vllm:inter_token_latency_seconds_count ${Math.round(t * 100)}`,
      `vllm:inter_token_latency_seconds_sum ${t * 2}`,
      '# TYPE DCGM_FI_DEV_GPU_UTIL gauge',
      'DCGM_FI_DEV_GPU_UTIL{gpu="0"} 87',
      '',
    ];
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(lines.join('\n'));
  });
}

jest.setTimeout(60_000);

/** `mlops/entity` label values of two entities whose pod names share a prefix. */
const LLAMA_LABEL = '11111111111111111111';
const SIBLING_LABEL = '22222222222222222222';

describe('PrometheusMetrics against a real Prometheus', () => {
  let prometheus: ChildProcess;
  let exporter: http.Server;
  let sibling: http.Server;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-prom-'));
    const exporterPort = await freePort();
    exporter = vllmExporter(Date.now());
    await new Promise<void>(r =>
      exporter.listen(exporterPort, '127.0.0.1', () => r()),
    );
    const siblingPort = await freePort();
    sibling = vllmExporter(Date.now(), 100);
    await new Promise<void>(r =>
      sibling.listen(siblingPort, '127.0.0.1', () => r()),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: {scrape_interval: 1s, evaluation_interval: 1s}',
        'scrape_configs:',
        '  - job_name: vllm',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${exporterPort}']`,
        `        labels: {namespace: ml-serving, pod: llama3-8b-chat-7d9f-abcde, mlops_entity: ${LLAMA_LABEL}}`,
        `      - targets: ['127.0.0.1:${siblingPort}']`,
        `        labels: {namespace: ml-serving, pod: llama3-8b-chat-foo-6c8b-fghij, mlops_entity: ${SIBLING_LABEL}}`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    // Wait until enough samples exist for a 1m rate.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const r = await fetch(
          `${url}/api/v1/query?query=count_over_time(vllm:generation_tokens_total[1m])`,
        );
        const body: any = await r.json();
        if (Number(body.data?.result?.[0]?.value?.[1] ?? 0) >= 6) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline)
        throw new Error('Prometheus did not scrape in time');
      await new Promise(r => setTimeout(r, 500));
    }
  }, 90_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await new Promise(r => exporter?.close(r));
    await new Promise(r => sibling?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a whole vLLM card with one range query', async () => {
    const metrics = new PrometheusMetrics(url);
    const request = {
      entityRef: 'component:default/llama3-8b-chat',
      engine: 'vllm' as const,
      selector: {
        namespace: 'ml-serving',
        entityLabel: { name: 'mlops_entity', value: LLAMA_LABEL },
      },
      rangeSeconds: 60,
      stepSeconds: 1,
    };
    const result = await metrics.query(request);
    expect(result.available).toBe(true);
    // The exporter makes 250 tokens/s; a 1m rate over a few seconds of samples reads lower.
    expect(result.latest.generationTokensPerSecond).toBeGreaterThan(0);
    expect(result.latest.generationTokensPerSecond).toBeLessThan(300);
    expect(result.latest.promptTokensPerSecond).toBeLessThan(
      result.latest.generationTokensPerSecond!,
    );
    expect(result.latest.requestsRunning).toBe(12);
    expect(result.latest.requestsWaiting).toBe(3);
    expect(result.latest.kvCacheUsage).toBeCloseTo(0.42);
    expect(result.latest.interTokenLatencyP95Seconds).toBeGreaterThan(0.025);
    expect(result.latest.interTokenLatencyP95Seconds).toBeLessThanOrEqual(0.1);
    expect(result.latest.gpuUtilizationPercent).toBe(87);
    expect(result.series.generationTokensPerSecond!.length).toBeGreaterThan(1);
    expect(metrics.stats.queries).toBe(1);

    // Ten viewers within the cache lifetime cost nothing more.
    await Promise.all(Array.from({ length: 10 }, () => metrics.query(request)));
    expect(metrics.stats.queries).toBe(1);

    // Another entity's pods are not this entity's.
    const other = await new PrometheusMetrics(url).query({
      ...request,
      selector: {
        namespace: 'ml-serving',
        entityLabel: { name: 'mlops_entity', value: 'ffffffffffffffffffff' },
      },
    });
    expect(other.available).toBe(true);
    expect(other.latest).toEqual({});

    // A sibling workload whose pod names start with this one's is another entity's: its
    // series (running 100) are not counted in this entity's 12.
    const siblingResult = await new PrometheusMetrics(url).query({
      ...request,
      selector: {
        namespace: 'ml-serving',
        entityLabel: { name: 'mlops_entity', value: SIBLING_LABEL },
      },
    });
    expect(siblingResult.latest.requestsRunning).toBe(100);
  });

  it('reports Prometheus down as unavailable with a reason instead of failing', async () => {
    const down = await new PrometheusMetrics(
      `http://127.0.0.1:${await freePort()}`,
      { timeoutMs: 2000 },
    ).query({
      entityRef: 'component:default/x',
      engine: 'vllm',
      selector: {
        namespace: 'a',
        entityLabel: { name: 'mlops_entity', value: 'b' },
      },
      rangeSeconds: 60,
      stepSeconds: 5,
    });
    expect(down).toMatchObject({ available: false, series: {}, latest: {} });
    expect(down.reason).toMatch(/^Prometheus is unreachable: /);
  });
});
