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
import { writeWorkload } from './__testUtils__/workloads';

const NS = 'fault-two-clusters';

// Two clusters configured; "lost" points at a closed 127.0.0.1 port.
describe('one cluster unreachable while another is fine', () => {
  const controlPlane = useControlPlane();
  let repo: string;
  let backend: Awaited<ReturnType<typeof startMlopsBackend>> | undefined;
  let startupMs = 0;

  beforeAll(async () => {
    const plane = controlPlane();
    await allowWorkloadNamespace(plane.adminKubeConfig, NS);
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-faults-'));
    const tokenFile = writeReconcilerToken(plane, repo);
    writeWorkload(repo, 'fault-good-llm', 'v1');
    writeWorkload(repo, 'fault-lost-llm', 'v1');
    const started = Date.now();
    backend = await startMlopsBackend({
      entities: [
        workloadEntity(repo, 'fault-good-llm', {
          'mlops/namespace': NS,
          'mlops/cluster': 'good',
        }),
        workloadEntity(repo, 'fault-lost-llm', {
          'mlops/namespace': NS,
          'mlops/cluster': 'lost',
        }),
      ],
      clusters: [
        clusterConfig(plane, { name: 'good', namespace: NS, tokenFile }),
        clusterConfig(plane, {
          name: 'lost',
          namespace: NS,
          tokenFile,
          url: `https://127.0.0.1:${await closedPort()}`,
        }),
      ],
    });
    startupMs = Date.now() - started;
  }, 300_000);

  afterAll(async () => {
    await backend?.stop();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  }, 60_000);

  it('starts, serves health for both clusters, and its startup pass synced the good one', async () => {
    const health = await backend!.health();
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', clusters: ['good', 'lost'] });

    const good = await eventually(
      'good-llm status from the cache',
      async () => {
        const res = await backend!.status('fault-good-llm');
        return res.body.cacheReady && res.body.objects.length === 2
          ? res
          : undefined;
      },
    );
    expect(good.status).toBe(200);
    expect(good.body.reconcile).toMatchObject({
      result: 'synced',
      cluster: 'good',
    });
    expect(
      good.body.objects.map((o: any) => `${o.kind}/${o.name}`).sort(),
    ).toEqual(['ConfigMap/fault-good-llm', 'Deployment/fault-good-llm']);
    // eslint-disable-next-line no-console
    console.log(
      `fault cluster-unreachable: backend started in ${startupMs} ms`,
    );
  });

  it('records a clear error for the unreachable cluster without holding up the other', async () => {
    const lost = await backend!.status('fault-lost-llm');
    expect(lost.status).toBe(200);
    expect(lost.body).toMatchObject({
      cacheReady: false,
      objects: [],
      reconcile: { result: 'failed', cluster: 'lost' },
    });
    expect(lost.body.reconcile.message).toMatch(
      /^cluster "lost" unreachable: .*ECONNREFUSED/,
    );

    const started = Date.now();
    const [lostSync, goodSync] = await Promise.all([
      backend!.sync('fault-lost-llm'),
      backend!.sync('fault-good-llm'),
    ]);
    const syncMs = Date.now() - started;
    expect(lostSync.body.result).toBe('failed');
    expect(goodSync.body.result).toBe('synced');
    expect(goodSync.body.objects.map((o: any) => o.action)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    // Three quick retries of a refused connection, not a hang.
    expect(syncMs).toBeLessThan(10_000);

    writeWorkload(repo, 'fault-good-llm', 'v2');
    const changed = await backend!.sync('fault-good-llm');
    expect(changed.body.result).toBe('synced');
    expect(changed.body.objects.map((o: any) => o.action)).toEqual([
      'updated',
      'updated',
    ]);
    // eslint-disable-next-line no-console
    console.log(
      `fault cluster-unreachable: sync of both took ${syncMs} ms; lost: ${lostSync.body.message}`,
    );
  }, 120_000);
});
