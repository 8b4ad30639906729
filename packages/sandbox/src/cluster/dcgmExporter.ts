import crypto from 'node:crypto';
import http from 'node:http';
import type { KubeObject } from './kubeClient';

/** What one fake GPU is doing, as the DCGM exporter stand-in reports it. */
export interface GpuReading {
  node: string;
  gpu: number;
  pod?: {
    namespace: string;
    name: string;
    container: string;
    /** The pod's `mlops/entity` label, as dcgm-exporter's pod labels (enablePodLabels) give it. */
    entity?: string;
  };
  utilPercent: number;
  fbUsedMiB: number;
}

/** An H100 80GB reports 81559 MiB of frame buffer. */
export const GPU_FB_TOTAL_MIB = 81559;
const MODEL_NAME = 'NVIDIA H100 80GB HBM3';

function gpuRequest(container: any): number {
  const r = container.resources ?? {};
  return Number(
    r.limits?.['nvidia.com/gpu'] ?? r.requests?.['nvidia.com/gpu'] ?? 0,
  );
}

/** Deterministic fake UUID per node and index, like `GPU-xxxxxxxx-…`. */
function gpuUuid(node: string, gpu: number): string {
  const h = crypto.createHash('sha1').update(`${node}/${gpu}`).digest('hex');
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/**
 * Gives each Running pod on a GPU node the GPU indices it asked for, in creation order (the
 * device plugin's job on a real node), and derives utilisation and memory from the load:
 * a vLLM pod's GPU is busy in proportion to requests in flight over `--max-num-seqs` and
 * holds `--gpu-memory-utilization` of the memory from start-up; a training pod runs hot.
 */
export function gpuReadings(
  nodes: KubeObject[],
  pods: KubeObject[],
  load: (
    pod: KubeObject,
  ) => { busy: number; memoryFraction: number } | undefined,
  jitter: () => number = () => Math.random(),
): GpuReading[] {
  const readings: GpuReading[] = [];
  for (const node of nodes) {
    const count = Number(node.status?.capacity?.['nvidia.com/gpu'] ?? 0);
    if (count === 0) continue;
    const name = node.metadata.name;
    const onNode = pods
      .filter(
        p =>
          p.spec?.nodeName === name &&
          p.status?.phase === 'Running' &&
          !p.metadata.deletionTimestamp,
      )
      .sort((a, b) =>
        `${a.metadata.creationTimestamp}${a.metadata.name}`.localeCompare(
          `${b.metadata.creationTimestamp}${b.metadata.name}`,
        ),
      );
    const owners: GpuReading['pod'][] = [];
    for (const pod of onNode) {
      for (const c of pod.spec?.containers ?? []) {
        for (let i = 0; i < gpuRequest(c); i++) {
          owners.push({
            namespace: pod.metadata.namespace!,
            name: pod.metadata.name,
            container: c.name,
            entity: pod.metadata.labels?.['mlops/entity'],
          });
        }
      }
    }
    for (let gpu = 0; gpu < count; gpu++) {
      const owner = owners[gpu];
      const pod = owner && onNode.find(p => p.metadata.name === owner.name);
      const l = pod ? load(pod) : undefined;
      if (!owner || !l) {
        readings.push({ node: name, gpu, utilPercent: 0, fbUsedMiB: 0 });
        continue;
      }
      const util = Math.min(
        100,
        Math.max(0, l.busy * 100 + (jitter() - 0.5) * 6),
      );
      readings.push({
        node: name,
        gpu,
        pod: owner,
        utilPercent: Math.round(util),
        fbUsedMiB: Math.round(GPU_FB_TOTAL_MIB * l.memoryFraction),
      });
    }
  }
  return readings;
}

function labels(r: GpuReading): string {
  const l: Record<string, string> = {
    gpu: String(r.gpu),
    UUID: gpuUuid(r.node, r.gpu),
    device: `nvidia${r.gpu}`,
    modelName: MODEL_NAME,
    Hostname: r.node,
  };
  if (r.pod) {
    l.container = r.pod.container;
    l.namespace = r.pod.namespace;
    l.pod = r.pod.name;
    // dcgm-exporter turns pod label names into Prometheus names: `mlops/entity` → `mlops_entity`.
    if (r.pod.entity) l.mlops_entity = r.pod.entity;
  }
  return Object.entries(l)
    .map(([k, v]) => `${k}="${v.replace(/["\\]/g, '\\$&')}"`)
    .join(',');
}

/** The exposition text dcgm-exporter serves, for the metrics the sandbox simulates. */
export function dcgmMetricsText(readings: GpuReading[]): string {
  const family = (
    name: string,
    help: string,
    value: (r: GpuReading) => number,
  ) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...readings.map(r => `${name}{${labels(r)}} ${value(r)}`),
  ];
  return `${[
    ...family(
      'DCGM_FI_DEV_GPU_UTIL',
      'GPU utilization (in %).',
      r => r.utilPercent,
    ),
    ...family(
      'DCGM_FI_DEV_FB_USED',
      'Framebuffer memory used (in MiB).',
      r => r.fbUsedMiB,
    ),
    ...family(
      'DCGM_FI_DEV_FB_FREE',
      'Framebuffer memory free (in MiB).',
      r => GPU_FB_TOTAL_MIB - r.fbUsedMiB,
    ),
  ].join('\n')}\n`;
}

/** The DCGM exporter stand-in's HTTP server on 127.0.0.1 (`/metrics`). */
export async function serveDcgmMetrics(
  port: number,
  readings: () => GpuReading[],
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/metrics')) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(dcgmMetricsText(readings()));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
