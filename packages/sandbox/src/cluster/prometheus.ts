import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startProcess, type SandboxProcess } from '../processes';

/** Where the agent writes the vLLM simulator targets (Prometheus file_sd format). */
export const VLLM_TARGETS_FILE = 'vllm-targets.json';

export interface PrometheusConfigOptions {
  workDir: string;
  /** 127.0.0.1:<port> of Prometheus itself. */
  selfAddress: string;
  /** 127.0.0.1:<port> of the DCGM exporter stand-in. */
  dcgmAddress: string;
  scrapeIntervalSeconds?: number;
}

/**
 * Scrapes Prometheus itself, the DCGM exporter stand-in (honouring its pod/namespace labels,
 * as a dcgm-exporter ServiceMonitor does) and every vLLM simulator, one per serving pod,
 * found through a file the agent rewrites as pods come and go. Each simulator target carries
 * the pod's namespace, pod and container labels, like a `prometheus.io/scrape` pod target.
 */
export function prometheusConfig(options: PrometheusConfigOptions): string {
  const interval = `${options.scrapeIntervalSeconds ?? 5}s`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      {
        job_name: 'prometheus',
        static_configs: [{ targets: [options.selfAddress] }],
      },
      {
        job_name: 'dcgm-exporter',
        honor_labels: true,
        static_configs: [{ targets: [options.dcgmAddress] }],
      },
      {
        job_name: 'vllm',
        file_sd_configs: [
          {
            files: [path.join(options.workDir, VLLM_TARGETS_FILE)],
            refresh_interval: '2s',
          },
        ],
      },
    ],
  });
}

export function startPrometheus(
  binary: string,
  options: PrometheusConfigOptions & { port: number; detached?: boolean },
): SandboxProcess {
  const configFile = path.join(options.workDir, 'prometheus.yml');
  const targets = path.join(options.workDir, VLLM_TARGETS_FILE);
  if (!fs.existsSync(targets)) fs.writeFileSync(targets, '[]\n');
  fs.writeFileSync(configFile, prometheusConfig(options));
  return startProcess(
    'prometheus',
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(options.workDir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--storage.tsdb.retention.time=12h',
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    {
      logFile: path.join(options.workDir, 'prometheus.log'),
      detached: options.detached,
    },
  );
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** An instant query; throws on an HTTP or Prometheus error. */
export async function queryPrometheus(
  baseUrl: string,
  query: string,
): Promise<PromSample[]> {
  const res = await fetch(
    `${baseUrl}/api/v1/query?${new URLSearchParams({ query })}`,
    { signal: AbortSignal.timeout(5000) },
  );
  const body = (await res.json()) as any;
  if (!res.ok || body.status !== 'success') {
    throw new Error(
      `Prometheus query failed (${res.status}): ${
        body.error ?? 'unknown error'
      }`,
    );
  }
  const data = body.data;
  if (data.resultType === 'scalar') {
    return [{ metric: {}, value: Number(data.result[1]) }];
  }
  return (data.result as any[]).map(r => ({
    metric: r.metric,
    value: Number(r.value[1]),
  }));
}
