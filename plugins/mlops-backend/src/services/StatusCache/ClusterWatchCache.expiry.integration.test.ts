import { mockServices } from '@backstage/backend-test-utils';
import {
  allowWorkloadNamespace,
  rawRequest,
  serverSideApply,
  startControlPlane,
  type ControlPlane,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { reconcilerClusterConfig } from '../../__testUtils__/reconcilerClusterConfig';
import { writeReconcilerToken } from '../../__testUtils__/reconcilerToken';
import { ClusterClient } from '../Kubernetes/ClusterClient';
import { entityLabelValue, withOwnership } from '../Reconciler/ownership';
import { ClusterWatchCache } from './ClusterWatchCache';

const NS = 'it-watch-expiry';
const REF = 'component:default/expiring';
const FIELD_MANAGER = 'backstage-mlops';

jest.setTimeout(120_000);

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

async function eventually<T>(
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 100));
  }
}

/** A TCP relay in front of the API server whose connections can be cut and restored. */
async function severableProxy(target: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(client => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  const listen = (port: number) =>
    new Promise<void>(r => server.listen(port, '127.0.0.1', () => r()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    /** Refuses new connections and cuts the open ones (idle keep-alive ones too). */
    async sever() {
      await new Promise(r => {
        server.close(r);
        sockets.forEach(s => s.destroy());
      });
    },
    restore: () => listen(port),
  };
}

/** Compacts etcd up to its current revision, so any older resourceVersion is gone. */
async function compactEtcd(etcdUrl: string): Promise<number> {
  const post = async (route: string, body: unknown) => {
    const res = await fetch(`${etcdUrl}${route}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`etcd ${route}: ${res.status}`);
    return res.json();
  };
  const { header } = await post('/v3/kv/range', {
    key: Buffer.from('/').toString('base64'),
  });
  await post('/v3/kv/compaction', {
    revision: header.revision,
    physical: true,
  });
  return Number(header.revision);
}

const configMap = (name: string, version: string) =>
  withOwnership(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name },
      data: { version },
    } as any,
    { entityRef: REF, namespace: NS },
  );

describe('ClusterWatchCache when its watch expires (410 Gone)', () => {
  let starting: Promise<ControlPlane> | undefined;
  let plane: ControlPlane | undefined;
  let proxy: Awaited<ReturnType<typeof severableProxy>>;
  let cache: ClusterWatchCache;
  let dir: string;
  const cmPath = (name: string) =>
    `/api/v1/namespaces/${NS}/configmaps/${name}`;
  const apply = (name: string, version: string) =>
    serverSideApply(
      plane!.adminKubeConfig,
      cmPath(name),
      configMap(name, version),
      {
        fieldManager: FIELD_MANAGER,
      },
    );
  type CachedConfigMap = {
    metadata: { resourceVersion?: string };
    data?: Record<string, string>;
  };
  const cached = (name: string) =>
    cache.lookup({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: NS,
      name,
    }) as CachedConfigMap | null | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-expiry-'));
    // Our CRDs are not needed here (their kinds are skipped), and installing 8 MB of them is slow.
    const crdsDir = path.join(dir, 'crds');
    fs.mkdirSync(crdsDir);
    fs.writeFileSync(path.join(crdsDir, 'widgets.yaml'), WIDGET_CRD);
    // Without the watch cache the API server resumes watches from etcd, which compacts.
    starting = startControlPlane({
      crdsDir,
      apiServerArgs: ['--watch-cache=false'],
    });
    plane = await starting;
    await allowWorkloadNamespace(plane.adminKubeConfig, NS);
    await apply('kept', 'v1');
    await apply('deleted-while-cut', 'v1');
    proxy = await severableProxy(Number(new URL(plane.server).port));
    const config = reconcilerClusterConfig(plane, {
      name: 'sandbox',
      tokenFile: writeReconcilerToken(plane, dir),
      namespaces: [],
      url: proxy.url,
    });
    cache = new ClusterWatchCache(
      new ClusterClient(config),
      mockServices.logger.mock(),
      { restartDelayMs: 200 },
    );
    cache.start();
    await eventually(() => cache.isReady() && cached('deleted-while-cut'));
  }, 300_000);

  afterAll(async () => {
    await cache?.stop();
    await proxy?.sever();
    // Also when the hook timed out while the control plane was still starting.
    await (plane ?? (await starting?.catch(() => undefined)))?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('re-lists after 410 Gone and shows what changed while its watch was cut off', async () => {
    const resumeFrom = cached('kept')!.metadata.resourceVersion!;
    const errorsBefore = cache.stats.errors;
    const listsBefore = cache.stats.lists;
    await proxy.sever();
    await eventually(() => cache.stats.errors > errorsBefore);

    // Changes the cache cannot see, then etcd forgets the history in between.
    await rawRequest(
      plane!.adminKubeConfig,
      'DELETE',
      cmPath('deleted-while-cut'),
    );
    await apply('kept', 'v2');
    await apply('created-while-cut', 'v1');
    await compactEtcd(plane!.etcdUrl);
    // The API server itself answers a watch from the old version with 410 Gone (Expired).
    const resumed = await rawRequest(
      plane!.adminKubeConfig,
      'GET',
      `/api/v1/namespaces/${NS}/configmaps?watch=true&timeoutSeconds=2&resourceVersion=${resumeFrom}`,
    );
    const answer =
      typeof resumed.body === 'string'
        ? resumed.body
        : JSON.stringify(resumed.body);
    expect(answer).toMatch(/"code":\s*410/);
    expect(cache.stats.expired).toBe(0);

    await proxy.restore();
    await eventually(() => cache.stats.expired > 0);
    await eventually(() => cached('created-while-cut'));
    expect(cached('deleted-while-cut')).toBeNull();
    expect(cached('kept')!.data).toEqual({ version: 'v2' });
    expect(cache.stats.lists).toBeGreaterThan(listsBefore);
    expect(
      cache
        .objectsOf(entityLabelValue(REF))
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(['created-while-cut', 'kept']);

    // The watch is live again: a change after recovery arrives without another list. The
    // other kinds' watches were cut too and recover on their own backoff, so wait until no
    // list has happened for 3 s before counting.
    let seen = { lists: cache.stats.lists, at: Date.now() };
    await eventually(() => {
      if (cache.stats.lists !== seen.lists) {
        seen = { lists: cache.stats.lists, at: Date.now() };
      }
      return Date.now() - seen.at >= 3_000;
    }, 60_000);
    const lists = cache.stats.lists;
    await apply('kept', 'v3');
    await eventually(() => cached('kept')?.data?.version === 'v3');
    expect(cache.stats.lists).toBe(lists);
  });
});
