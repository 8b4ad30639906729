import {
  mockServices,
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  allowWorkloadNamespace,
  rawRequest,
  serverSideApply,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MlopsConfig } from '../../config';
import { eventually } from '../../__testUtils__/eventually';
import { reconcilerClusterConfig } from '../../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../../__testUtils__/reconcilerToken';
import { workloadEntity } from '../../__testUtils__/workloadEntity';
import { ClusterClient } from '../Kubernetes/ClusterClient';
import { ClusterWatchCache } from '../StatusCache/ClusterWatchCache';
import { testDatabaseIds } from '../Store/__testUtils__/testDatabaseIds';
import { ReconcileStore } from '../Store/ReconcileStore';
import { createReconciler } from './createReconciler';
import { entityLabelValue } from './ownership';
import { testMlopsConfig } from '../../__testUtils__/testMlopsConfig';

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: server
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: server}}
  template:
    metadata: {labels: {app: server}}
    spec:
      containers: [{name: vllm, image: vllm/vllm-openai:v0.11.0}]
`;
const scaledObject = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: server
spec:
  scaleTargetRef: {name: server}
  minReplicaCount: 1
  maxReplicaCount: 4
  triggers:
    - type: prometheus
      metadata: {serverAddress: "http://prometheus:9090", query: "sum(vllm:num_requests_waiting)", threshold: "8"}
`;

/** Counts the requests the reconciler sends, by method. */
class CountingClient extends ClusterClient {
  counts: Record<string, number> = {};
  override async request(
    method: string,
    p: string,
    options?: Parameters<ClusterClient['request']>[2],
  ) {
    this.counts[method] = (this.counts[method] ?? 0) + 1;
    return super.request(method, p, options);
  }
}

// The reconcile records and inventories live in SQLite and, in command 2, in a real PostgreSQL.
const databases = TestDatabases.create({ ids: testDatabaseIds() });

function reconcilerAgainstApiServer(databaseId: TestDatabaseId) {
  // One namespace per database, so each run starts from an empty cluster namespace.
  const NS = `it-reconcile-${databaseId.toLowerCase().replace('_', '-')}`;
  const controlPlane = useControlPlane();
  let repo: string;
  let store: ReconcileStore;
  let config: MlopsConfig;

  function entity(name: string, annotations: Record<string, string> = {}) {
    return workloadEntity(repo, name, {
      'mlops/namespace': NS,
      'mlops/workload': 'serving',
      ...annotations,
    });
  }

  function writeManifest(entityName: string, file: string, text: string) {
    const dir = path.join(repo, entityName, 'deploy');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }

  function removeManifest(entityName: string, file: string) {
    fs.rmSync(path.join(repo, entityName, 'deploy', file));
  }

  async function live(kind: 'configmaps' | 'deployments', name: string) {
    const group = kind === 'deployments' ? '/apis/apps/v1' : '/api/v1';
    return rawRequest(
      controlPlane().adminKubeConfig,
      'GET',
      `${group}/namespaces/${NS}/${kind}/${name}`,
    );
  }

  function reconciler(reconcileStore = store, maxPruneShare = 0.5) {
    return createReconciler({
      config: { ...config, reconcile: { ...config.reconcile, maxPruneShare } },
      clients: new Map([
        [config.clusters[0].name, new ClusterClient(config.clusters[0])],
      ]),
      store: reconcileStore,
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    });
  }

  /** A fresh, empty logical database of this kind, closed by TestDatabases after the file. */
  async function newStore() {
    const db = await databases.init(databaseId);
    return ReconcileStore.create({ getClient: async () => db });
  }

  beforeAll(async () => {
    const cp = controlPlane();
    await allowWorkloadNamespace(cp.adminKubeConfig, NS);
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-reconcile-'));
    config = testMlopsConfig([
      reconcilerClusterConfig(cp, {
        name: 'sandbox',
        tokenFile: writeReconcilerToken(cp, repo),
        namespaces: [NS],
      }),
    ]);
    store = await newStore();
  });

  afterAll(async () => {
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('applies, then a second pass writes nothing, then a change updates and a removal prunes', async () => {
    writeManifest('app', 'a.yaml', configMap('a', 'one'));
    writeManifest('app', 'b.yaml', configMap('b', 'one'));
    writeManifest('app', 'c.yaml', configMap('c', 'one'));
    const first = await reconciler().reconcile(entity('app'));
    expect(first.result).toBe('synced');
    expect(first.objects.map(o => `${o.name}:${o.action}`)).toEqual([
      'a:created',
      'b:created',
      'c:created',
    ]);
    const a = (await live('configmaps', 'a')).body;
    expect(a.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'backstage-mlops',
      'mlops/entity': entityLabelValue('component:default/app'),
    });
    expect(a.metadata.annotations['mlops/entity-ref']).toBe(
      'component:default/app',
    );
    expect(a.metadata.managedFields.map((f: any) => f.manager)).toEqual([
      'backstage-mlops',
    ]);

    const second = await reconciler().reconcile(entity('app'));
    expect(second.objects.map(o => o.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect((await live('configmaps', 'a')).body.metadata.resourceVersion).toBe(
      a.metadata.resourceVersion,
    );

    writeManifest('app', 'a.yaml', configMap('a', 'two'));
    removeManifest('app', 'c.yaml');
    const third = await reconciler().reconcile(entity('app'));
    expect(third.result).toBe('synced');
    expect(third.objects.map(o => `${o.name}:${o.action}`)).toEqual([
      'a:updated',
      'b:unchanged',
      'c:pruned',
    ]);
    expect((await live('configmaps', 'a')).body.data.value).toBe('two');
    expect((await live('configmaps', 'c')).status).toBe(404);
  });

  it('with a pass snapshot, sends nothing for a converged entity, then repairs drift, applies a change and prunes', async () => {
    // The watch cache sees every namespace: a name of its own per database keeps the other
    // run's objects out of this entity's rebuilt inventory.
    const name = `snap-${NS}`;
    for (const n of ['a', 'b', 'c'])
      writeManifest(name, `${n}.yaml`, configMap(`snap-${n}`, 'one'));
    const cache = new ClusterWatchCache(
      new ClusterClient(config.clusters[0]),
      mockServices.logger.mock(),
    );
    cache.start();
    const client = new CountingClient(config.clusters[0]);
    const { reconcile, passSnapshot, finishPass } = createReconciler({
      config,
      clients: new Map([[config.clusters[0].name, client]]),
      lookup: (_c, key) => cache.lookup(key),
      ownedObjects: (_c, ref) => cache.ownedObjects(ref),
      store,
      reader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
    });
    const key = (configMapName: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: NS,
      name: configMapName,
    });
    /** The watch cache has caught up: a snapshot pass must not act on a stale view. */
    const cached = (configMapName: string, value: string | undefined) =>
      eventually(`cache shows ${configMapName} = ${value}`, () => {
        const object: any = cache.lookup(key(configMapName));
        return Boolean(object) && object.data?.value === value;
      });
    const snapshotPass = async () => {
      client.counts = {};
      const pass = await passSnapshot();
      const status = await reconcile(entity(name), { pass });
      await finishPass(pass);
      return status;
    };
    const getInventory = jest.spyOn(store, 'getInventory');
    const replaceInventory = jest.spyOn(store, 'replaceInventory');
    try {
      await eventually('watch cache ready', () => cache.isReady());
      expect((await reconcile(entity(name))).result).toBe('synced');
      for (const n of ['a', 'b', 'c']) await cached(`snap-${n}`, 'one');

      getInventory.mockClear();
      replaceInventory.mockClear();
      const quiet = await snapshotPass();
      expect(client.counts).toEqual({});
      expect(getInventory).not.toHaveBeenCalled();
      expect(replaceInventory).not.toHaveBeenCalled();
      expect(quiet.result).toBe('synced');
      expect(quiet.objects.map(o => `${o.name}:${o.action}`)).toEqual([
        'snap-a:unchanged',
        'snap-b:unchanged',
        'snap-c:unchanged',
      ]);
      expect(await store.getStatus(`component:default/${name}`)).toEqual(quiet);

      // Deleted by hand: no other manager owns the fields then, so a plain apply repairs it.
      const edited = await rawRequest(
        controlPlane().adminKubeConfig,
        'PATCH',
        `/api/v1/namespaces/${NS}/configmaps/snap-a`,
        [{ op: 'remove', path: '/data' }],
        'application/json-patch+json',
      );
      expect(edited.status).toBe(200);
      await cached('snap-a', undefined);
      const repaired = await snapshotPass();
      expect(repaired.result).toBe('synced');
      expect(repaired.driftCount).toBe(1);
      expect(repaired.objects.map(o => `${o.name}:${o.action}`)).toEqual([
        'snap-a:updated',
        'snap-b:unchanged',
        'snap-c:unchanged',
      ]);
      expect(repaired.objects[0].drift).toEqual(['.data']);
      expect(client.counts).toEqual({ PATCH: 1 });
      expect((await live('configmaps', 'snap-a')).body.data.value).toBe('one');
      await cached('snap-a', 'one');

      writeManifest(name, 'b.yaml', configMap('snap-b', 'two'));
      const changed = await snapshotPass();
      expect(changed.objects.map(o => `${o.name}:${o.action}`)).toEqual([
        'snap-a:unchanged',
        'snap-b:updated',
        'snap-c:unchanged',
      ]);
      expect(client.counts).toEqual({ PATCH: 1 });
      expect((await live('configmaps', 'snap-b')).body.data.value).toBe('two');
      await cached('snap-b', 'two');

      removeManifest(name, 'c.yaml');
      const pruned = await snapshotPass();
      expect(pruned.result).toBe('synced');
      expect(pruned.objects.map(o => `${o.name}:${o.action}`)).toEqual([
        'snap-a:unchanged',
        'snap-b:unchanged',
        'snap-c:pruned',
      ]);
      expect((await live('configmaps', 'snap-c')).status).toBe(404);
      expect(
        (await store.getInventory(`component:default/${name}`))
          .map(i => i.key.name)
          .sort(),
      ).toEqual(['snap-a', 'snap-b']);
    } finally {
      getInventory.mockRestore();
      replaceInventory.mockRestore();
      await cache.stop();
    }
  });

  it('reports drift and a conflict, not forcing, when someone else took a field', async () => {
    writeManifest('drifty', 'd.yaml', configMap('d', 'from-git'));
    expect((await reconciler().reconcile(entity('drifty'))).result).toBe(
      'synced',
    );
    const edited = await serverSideApply(
      controlPlane().adminKubeConfig,
      `/api/v1/namespaces/${NS}/configmaps/d`,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'd', namespace: NS },
        data: { value: 'hand-edit' },
      },
      { fieldManager: 'kubectl-edit', force: true },
    );
    expect(edited.status).toBe(200);
    const status = await reconciler().reconcile(entity('drifty'));
    expect(status.result).toBe('conflict');
    expect(status.driftCount).toBe(1);
    expect(status.objects[0]).toMatchObject({
      name: 'd',
      action: 'failed',
      drift: ['.data.value'],
    });
    expect(status.message).toMatch(/conflict with "kubectl-edit"/);
    expect((await live('configmaps', 'd')).body.data.value).toBe('hand-edit');
  });

  it('refuses the whole pass for a Secret, a privileged pod, another namespace or a foreign owner', async () => {
    writeManifest('evil', 'ok.yaml', configMap('evil-ok', 'x'));
    writeManifest(
      'evil',
      'secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n',
    );
    writeManifest(
      'evil',
      'pod.yaml',
      deployment(1)
        .replace('name: server', 'name: priv')
        .replace(
          '{name: vllm, image: vllm/vllm-openai:v0.11.0}',
          '{name: x, image: busybox, securityContext: {privileged: true}}',
        ),
    );
    const refused = await reconciler().reconcile(entity('evil'));
    expect(refused.result).toBe('refused');
    expect(refused.message).toMatch(
      /Secret \(v1\) "creds" is not an allowed kind/,
    );
    expect(refused.message).toMatch(
      /Deployment "priv" breaks the baseline Pod Security level: .*privileged is true/,
    );
    expect((await live('configmaps', 'evil-ok')).status).toBe(404);

    const elsewhere = await reconciler().reconcile(
      entity('app', { 'mlops/namespace': 'kube-system' }),
    );
    expect(elsewhere.result).toBe('refused');
    expect(elsewhere.message).toMatch(
      /namespace "kube-system" is not configured for cluster "sandbox"/,
    );

    const stranger = entity('app');
    stranger.spec!.owner = 'group:default/someone-else';
    const foreign = await reconciler().reconcile(stranger);
    expect(foreign.result).toBe('refused');
    expect(foreign.message).toMatch(
      new RegExp(
        `owner group:default/someone-else may not deploy to namespace "${NS}"`,
      ),
    );
  });

  it('applies an autoscaled Deployment without spec.replicas, so KEDA keeps the field', async () => {
    writeManifest('scaled', 'deployment.yaml', deployment(3));
    writeManifest('scaled', 'scaledobject.yaml', scaledObject);
    const status = await reconciler().reconcile(entity('scaled'));
    expect(status.result).toBe('synced');
    const dep = (await live('deployments', 'server')).body;
    const ours = dep.metadata.managedFields.find(
      (f: any) => f.manager === 'backstage-mlops',
    );
    expect(JSON.stringify(ours.fieldsV1)).not.toContain('f:replicas');
  });

  it('moves a RayCluster to another served version of ray.io: applied under the new one, never pruned', async () => {
    const rayCluster = (
      apiVersion: string,
      image: string,
    ) => `apiVersion: ${apiVersion}
kind: RayCluster
metadata:
  name: bump
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers: [{name: ray-head, image: "${image}"}]
`;
    const name = `bump-${NS}`;
    const ref = `component:default/${name}`;
    writeManifest(
      name,
      'ray.yaml',
      rayCluster('ray.io/v1alpha1', 'rayproject/ray:2.46.0'),
    );
    const first = await reconciler(store, 1).reconcile(entity(name));
    expect(first.result).toBe('synced');
    expect(first.objects.map(o => `${o.apiVersion}:${o.action}`)).toEqual([
      'ray.io/v1alpha1:created',
    ]);
    const rayPath = `/apis/ray.io/v1/namespaces/${NS}/rayclusters/bump`;
    const created = (
      await rawRequest(controlPlane().adminKubeConfig, 'GET', rayPath)
    ).body;

    writeManifest(
      name,
      'ray.yaml',
      rayCluster('ray.io/v1', 'rayproject/ray:2.47.0'),
    );
    const bumped = await reconciler(store, 1).reconcile(entity(name));
    expect(bumped.result).toBe('synced');
    expect(bumped.objects.map(o => `${o.apiVersion}:${o.action}`)).toEqual([
      'ray.io/v1:updated',
    ]);
    const after = await rawRequest(
      controlPlane().adminKubeConfig,
      'GET',
      rayPath,
    );
    expect(after.status).toBe(200);
    expect(after.body.metadata.uid).toBe(created.metadata.uid);
    expect(
      after.body.spec.headGroupSpec.template.spec.containers[0].image,
    ).toBe('rayproject/ray:2.47.0');
    expect(await store.getInventory(ref)).toEqual([
      {
        key: {
          apiVersion: 'ray.io/v1',
          kind: 'RayCluster',
          namespace: NS,
          name: 'bump',
        },
        hash: expect.any(String),
      },
    ]);

    // And back: still one object, still there.
    writeManifest(
      name,
      'ray.yaml',
      rayCluster('ray.io/v1alpha1', 'rayproject/ray:2.47.0'),
    );
    const back = await reconciler(store, 1).reconcile(entity(name));
    expect(back.objects.map(o => o.action)).not.toContain('pruned');
    expect(
      (await rawRequest(controlPlane().adminKubeConfig, 'GET', rayPath)).status,
    ).toBe(200);
  });

  it('blocks a large prune until confirmed, keeps objects with ownerReferences, and rebuilds a lost inventory', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4'])
      writeManifest('prune', `${n}.yaml`, configMap(n, 'x'));
    expect((await reconciler().reconcile(entity('prune'))).result).toBe(
      'synced',
    );

    // A fresh database: the inventory comes back from the objects annotated with this entity.
    const fresh = await newStore();
    for (const n of ['p2', 'p3', 'p4']) removeManifest('prune', `${n}.yaml`);
    const blocked = await reconciler(fresh).reconcile(entity('prune'));
    expect(blocked.result).toBe('prune-blocked');
    expect(blocked.message).toMatch(
      /prune of 3 of 4 objects exceeds mlops.reconcile.maxPruneShare \(0.5\)/,
    );
    expect((await live('configmaps', 'p2')).status).toBe(200);

    // p3 gains an owner reference (as operators do): never pruned.
    const p3 = (await live('configmaps', 'p3')).body;
    await rawRequest(
      controlPlane().adminKubeConfig,
      'PATCH',
      `/api/v1/namespaces/${NS}/configmaps/p3`,
      {
        metadata: {
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: 'p1',
              uid: p3.metadata.uid,
            },
          ],
        },
      },
      'application/merge-patch+json',
    );

    const confirmed = await reconciler(fresh).reconcile(entity('prune'), {
      confirmPrune: true,
    });
    expect(confirmed.result).toBe('synced');
    expect(confirmed.objects.map(o => `${o.name}:${o.action}`).sort()).toEqual(
      ['p1:unchanged', 'p2:pruned', 'p3:kept', 'p4:pruned'].sort(),
    );
    expect((await live('configmaps', 'p2')).status).toBe(404);
    expect((await live('configmaps', 'p3')).status).toBe(200);
  });
}

describe.each(databases.eachSupportedId())(
  'reconciler against a real API server, records in %s',
  databaseId => {
    reconcilerAgainstApiServer(databaseId);
  },
);
