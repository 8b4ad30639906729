import {
  allowWorkloadNamespace,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../__testUtils__/eventually';
import { writeReconcilerToken } from '../__testUtils__/reconcilerToken';
import { workloadEntity } from '../__testUtils__/workloadEntity';
import {
  closedPort,
  clusterConfig,
  startMlopsBackend,
} from './__testUtils__/mlopsBackend';
import { prometheusProcess } from './__testUtils__/prometheus';
import { writeWorkload } from './__testUtils__/workloads';

const NS = 'fault-prometheus';

describe('Prometheus down while the backend serves status and metrics', () => {
  const controlPlane = useControlPlane();
  let repo: string;
  let prometheus: ReturnType<typeof prometheusProcess>;
  let backend: Awaited<ReturnType<typeof startMlopsBackend>> | undefined;

  beforeAll(async () => {
    const plane = controlPlane();
    await allowWorkloadNamespace(plane.adminKubeConfig, NS);
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-faults-'));
    const tokenFile = writeReconcilerToken(plane, repo);
    prometheus = prometheusProcess(
      path.join(repo, 'prometheus'),
      await closedPort(),
    );
    await prometheus.start();
    writeWorkload(repo, 'fault-prom-llm', 'v1');
    backend = await startMlopsBackend({
      entities: [
        workloadEntity(repo, 'fault-prom-llm', { 'mlops/namespace': NS }),
      ],
      clusters: [
        clusterConfig(plane, {
          name: 'gpu',
          namespace: NS,
          tokenFile,
          prometheusUrl: prometheus.url,
        }),
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await backend?.stop();
    await prometheus?.kill();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  it('says metrics are unavailable, without the Prometheus URL, while status is still served; recovers when Prometheus returns', async () => {
    const up = await backend!.metrics('fault-prom-llm');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ available: true });

    await prometheus.kill();
    const killed = Date.now();
    const down = await eventually(
      'metrics report Prometheus down',
      async () => {
        const res = await backend!.metrics('fault-prom-llm');
        return res.body.available === false ? res : undefined;
      },
    );
    const noticeMs = Date.now() - killed;
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ series: {}, latest: {} });
    expect(down.body.reason).toBe(
      'Prometheus is unreachable: connection refused (ECONNREFUSED)',
    );
    // The frontend never learns where Prometheus lives.
    expect(JSON.stringify(down.body)).not.toContain(
      new URL(prometheus.url).port,
    );

    const status = await eventually('status from the cache', async () => {
      const res = await backend!.status('fault-prom-llm');
      return res.body.cacheReady && res.body.objects.length === 2
        ? res
        : undefined;
    });
    expect(status.status).toBe(200);
    expect(status.body.reconcile).toMatchObject({ result: 'synced' });

    await prometheus.start();
    const restarted = Date.now();
    await eventually(
      'metrics served again',
      async () =>
        (await backend!.metrics('fault-prom-llm')).body.available === true,
      30_000,
    );
    const recoverMs = Date.now() - restarted;
    // eslint-disable-next-line no-console
    console.log(
      `fault prometheus-down: unavailable reported ${noticeMs} ms after the kill ("${down.body.reason}"); ` +
        `metrics back ${recoverMs} ms after Prometheus was ready`,
    );
  }, 180_000);
});
