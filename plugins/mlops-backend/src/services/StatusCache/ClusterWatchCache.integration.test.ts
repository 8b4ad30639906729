import { mockServices } from '@backstage/backend-test-utils';
import {
  allowWorkloadNamespace,
  rawRequest,
  serverSideApply,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reconcilerClusterConfig } from '../../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../../__testUtils__/reconcilerToken';
import { ClusterClient } from '../Kubernetes/ClusterClient';
import { entityLabelValue, withOwnership } from '../Reconciler/ownership';
import { ClusterWatchCache } from './ClusterWatchCache';
import { entityStatus } from './entityStatus';

const NS = 'it-watch-cache';
const REF = 'component:default/resnet50-ddp';

async function eventually<T>(
  fn: () => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('ClusterWatchCache against a real API server', () => {
  const controlPlane = useControlPlane();
  let cache: ClusterWatchCache;
  let dir: string;

  beforeAll(async () => {
    const cp = controlPlane();
    await allowWorkloadNamespace(cp.adminKubeConfig, NS);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-cache-'));
    const config = reconcilerClusterConfig(cp, {
      name: 'sandbox',
      tokenFile: writeReconcilerToken(cp, dir),
      namespaces: [],
    });
    // The cache reads as the non-admin reconciler identity, as in production.
    cache = new ClusterWatchCache(
      new ClusterClient(config),
      mockServices.logger.mock(),
    );
    cache.start();
    await eventually(() => cache.isReady(), 30_000);
  }, 60_000);

  afterAll(async () => {
    await cache?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows a PyTorchJob from creation through status updates to deletion, with no request per read', async () => {
    const admin = controlPlane().adminKubeConfig;
    const job = withOwnership(
      {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata: { name: 'resnet50-ddp' },
        spec: {
          runPolicy: { cleanPodPolicy: 'Running' },
          pytorchReplicaSpecs: {
            Master: {
              replicas: 1,
              template: {
                spec: { containers: [{ name: 'pytorch', image: 'p' }] },
              },
            },
            Worker: {
              replicas: 1,
              template: {
                spec: { containers: [{ name: 'pytorch', image: 'p' }] },
              },
            },
          },
        },
      },
      { entityRef: REF, namespace: NS },
    );
    const jobPath = `/apis/kubeflow.org/v1/namespaces/${NS}/pytorchjobs/resnet50-ddp`;
    expect(
      (
        await serverSideApply(admin, jobPath, job, {
          fieldManager: 'backstage-mlops',
        })
      ).status,
    ).toBe(201);
    // Unlabelled objects are not ours and never enter the cache.
    await serverSideApply(
      admin,
      `/api/v1/namespaces/${NS}/configmaps/not-ours`,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'not-ours', namespace: NS },
      },
      { fieldManager: 'someone' },
    );

    const label = entityLabelValue(REF);
    const created = await eventually(() =>
      cache.objectsOf(label).find(o => o.kind === 'PyTorchJob'),
    );
    expect(created.apiVersion).toBe('kubeflow.org/v1');

    const listsBefore = cache.stats.lists;
    await serverSideApply(
      admin,
      `${jobPath}/status`,
      {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata: { name: 'resnet50-ddp', namespace: NS },
        status: {
          conditions: [
            {
              type: 'Created',
              status: 'True',
              reason: 'PyTorchJobCreated',
              lastUpdateTime: '2026-11-26T11:00:00Z',
              lastTransitionTime: '2026-11-26T11:00:00Z',
            },
            {
              type: 'Running',
              status: 'True',
              reason: 'PyTorchJobRunning',
              lastUpdateTime: '2026-11-26T11:01:00Z',
              lastTransitionTime: '2026-11-26T11:01:00Z',
            },
          ],
          replicaStatuses: { Master: { active: 1 }, Worker: { active: 1 } },
          startTime: '2026-11-26T11:00:00Z',
        },
      },
      { fieldManager: 'training-operator-stand-in', force: true },
    );
    const running = await eventually(() => {
      const status = entityStatus(
        REF,
        null,
        cache.objectsOf(label),
        cache.isReady(),
      );
      return status.training?.phase === 'Running' ? status : undefined;
    });
    expect(running.training).toMatchObject({
      kind: 'PyTorchJob',
      health: 'healthy',
      replicas: {
        Master: { active: 1, succeeded: 0, failed: 0 },
        Worker: { active: 1, succeeded: 0, failed: 0 },
      },
      cleanPodPolicy: 'Running',
    });
    expect(running.objects.map(o => o.kind)).toEqual(['PyTorchJob']);
    // Updates arrive over the watch: no new list request was needed.
    expect(cache.stats.lists).toBe(listsBefore);

    expect((await rawRequest(admin, 'DELETE', jobPath)).status).toBe(200);
    await eventually(() =>
      cache.objectsOf(label).length === 0 ? true : undefined,
    );
  });
});
