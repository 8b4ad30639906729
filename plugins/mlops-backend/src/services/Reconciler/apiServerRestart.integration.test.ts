import { mockServices } from '@backstage/backend-test-utils';
import {
  allowWorkloadNamespace,
  rawRequest,
  startControlPlane,
  type ControlPlane,
} from '@mlops-plugins/sandbox';
import type { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInMemoryReconcileStore } from '../../__testUtils__/inMemoryReconcileStore';
import { reconcilerClusterConfig } from '../../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../../__testUtils__/reconcilerToken';
import { workloadEntity } from '../../__testUtils__/workloadEntity';
import { ClusterClient } from '../Kubernetes/ClusterClient';
import { ClusterWatchCache } from '../StatusCache/ClusterWatchCache';
import { createReconciler } from './createReconciler';
import { entityLabelValue } from './ownership';
import { testMlopsConfig } from '../../__testUtils__/testMlopsConfig';

jest.setTimeout(180_000);

const NS = 'it-faults';

async function eventually<T>(
  fn: () => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 100));
  }
}

// A control plane of its own: this test stops and restarts kube-apiserver.
describe('reconciler and watch cache across a kube-apiserver restart', () => {
  let plane: ControlPlane;
  let repo: string;
  let knex: Knex;
  let cache: ClusterWatchCache;
  let reconcile: ReturnType<typeof createReconciler>['reconcile'];

  const entity = (name: string) =>
    workloadEntity(repo, name, { 'mlops/namespace': NS });
  const write = (name: string, value: string) => {
    const dir = path.join(repo, name, 'deploy');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`,
    );
  };

  beforeAll(async () => {
    plane = await startControlPlane();
    await allowWorkloadNamespace(plane.adminKubeConfig, NS);
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-faults-'));
    const cluster = reconcilerClusterConfig(plane, {
      name: 'faulty',
      tokenFile: writeReconcilerToken(plane, repo),
      namespaces: [NS],
    });
    cache = new ClusterWatchCache(
      new ClusterClient(cluster),
      mockServices.logger.mock(),
      {
        restartDelayMs: 200,
      },
    );
    cache.start();
    await eventually(() => cache.isReady());
    const { knex: db, store } = await createInMemoryReconcileStore();
    knex = db;
    ({ reconcile } = createReconciler({
      config: testMlopsConfig([cluster]),
      clients: new Map([['faulty', new ClusterClient(cluster)]]),
      lookup: (_c, key) => cache.lookup(key),
      ownedObjects: (_c, ref) => cache.ownedObjects(ref),
      store,
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    }));
  });

  afterAll(async () => {
    await cache?.stop();
    await knex?.destroy();
    await plane?.stop();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  it('records the failure while the API server is down and converges after it returns', async () => {
    write('steady', 'one');
    expect((await reconcile(entity('steady'))).result).toBe('synced');
    await eventually(() =>
      cache.lookup({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: NS,
        name: 'steady',
      }),
    );

    await plane.stopApiServer();
    write('steady', 'two');
    const down = await reconcile(entity('steady'));
    expect(down.result).toBe('failed');
    expect(down.message).toMatch(
      /cluster "faulty" unreachable: .*ECONNREFUSED/,
    );

    await plane.startApiServer();
    const back = await reconcile(entity('steady'));
    expect(back.result).toBe('synced');
    expect(back.objects).toEqual([
      expect.objectContaining({ name: 'steady', action: 'updated' }),
    ]);
    const live = await rawRequest(
      plane.adminKubeConfig,
      'GET',
      `/api/v1/namespaces/${NS}/configmaps/steady`,
    );
    expect(live.body.data.value).toBe('two');
  });

  it('has its watches back after the restart: new objects and changes reach the cache', async () => {
    write('after-restart', 'x');
    expect((await reconcile(entity('after-restart'))).result).toBe('synced');
    const cached = await eventually(
      () =>
        cache.objectsOf(entityLabelValue('component:default/after-restart'))[0],
    );
    expect(cached.metadata.name).toBe('after-restart');
    await eventually(() => {
      const steady = cache.lookup({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: NS,
        name: 'steady',
      }) as any;
      return steady?.data?.value === 'two' ? steady : undefined;
    });
    expect(cache.stats.errors).toBeGreaterThan(0);
  });
});
