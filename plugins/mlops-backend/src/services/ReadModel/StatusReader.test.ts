import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import zlib from 'node:zlib';
import type { ClusterWatchCache } from '../StatusCache/ClusterWatchCache';
import type { Workload } from './EntityAccess';
import { WatchCacheStatusReader } from './StatusReader';

const workload = (name: string): Workload => ({
  entity: {} as any,
  ref: `component:default/${name}`,
  cluster: 'gpu',
  namespace: 'ml',
  entityLabel: `label-${name}`,
});
const configMap = (name: string, resourceVersion: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ml', resourceVersion },
});

function setup(maxBodies = 10) {
  const records = new Map<string, MlopsReconcileStatus>();
  const objects = new Map<string, any[]>();
  const cache = {
    objectsOf: jest.fn((label: string) => objects.get(label) ?? []),
    isReady: () => true,
    hpa: () => undefined,
  } as unknown as ClusterWatchCache;
  const reader = new WatchCacheStatusReader(
    { get: async ref => records.get(ref) },
    new Map([['gpu', cache]]),
    { maxBodies },
  );
  return { reader, records, objects };
}

const parse = (body: { json: Buffer }) => JSON.parse(body.json.toString());

describe('WatchCacheStatusReader', () => {
  it('serves one set of bytes per version of what the body is made of, and new bytes after a change', async () => {
    const { reader, objects } = setup();
    objects.set('label-a', [configMap('a-config', '1')]);
    const first = await reader.read(workload('a'));
    expect(await reader.read(workload('a'))).toBe(first);
    expect(parse(first)).toMatchObject({
      entityRef: 'component:default/a',
      cacheReady: true,
      reconcile: null,
      objects: [expect.objectContaining({ kind: 'ConfigMap' })],
    });
    expect(zlib.gunzipSync(first.gzip).equals(first.json)).toBe(true);
    expect(first.etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);

    objects.set('label-a', [configMap('a-config', '2')]);
    const second = await reader.read(workload('a'));
    expect(second).not.toBe(first);
    expect(second.etag).toBe(first.etag);
  });

  it('shows a new reconcile record with a new ETag', async () => {
    const { reader, records } = setup();
    const before = await reader.read(workload('a'));
    records.set('component:default/a', {
      entityRef: 'component:default/a',
      result: 'refused',
      objects: [],
      driftCount: 0,
      lastAttemptAt: '2026-01-01T00:00:00.000Z',
    } as unknown as MlopsReconcileStatus);
    const after = await reader.read(workload('a'));
    expect(after.etag).not.toBe(before.etag);
    expect(parse(after).reconcile).toMatchObject({ result: 'refused' });
  });

  it('holds at most maxBodies bodies', async () => {
    const { reader } = setup(1);
    const a = await reader.read(workload('a'));
    await reader.read(workload('b'));
    expect(await reader.read(workload('a'))).not.toBe(a);
  });

  it('has no objects for a workload whose cluster is not configured', async () => {
    const { reader } = setup();
    const body = await reader.read({ ...workload('a'), cluster: undefined });
    expect(parse(body)).toMatchObject({ cacheReady: false, objects: [] });
  });
});
