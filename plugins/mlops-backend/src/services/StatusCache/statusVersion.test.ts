import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { LiveObject } from './health';
import { statusVersion } from './statusVersion';

const object = (kind: string, name: string, rv: string, status?: any) =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'ns', resourceVersion: rv },
    status,
  } as LiveObject);

const record = (over: Partial<MlopsReconcileStatus> = {}) =>
  ({
    entityRef: 'component:default/a',
    cluster: 'c',
    namespace: 'ns',
    result: 'synced',
    revision: 'r1',
    objects: [],
    driftCount: 0,
    lastAttemptAt: '2026-11-27T05:00:00.000Z',
    ...over,
  } as MlopsReconcileStatus);

describe('statusVersion', () => {
  const hpas = new Map([
    ['keda-hpa-a', object('HorizontalPodAutoscaler', 'keda-hpa-a', '7')],
  ]);
  const base = {
    reconcile: record(),
    objects: [
      object('Deployment', 'a', '10'),
      object('ScaledObject', 'a', '11', { hpaName: 'keda-hpa-a' }),
    ],
    cacheReady: true,
    hpaOf: (_ns: string, name: string) => hpas.get(name),
  };
  const version = statusVersion(base);

  it('is the same for the same inputs', () => {
    expect(statusVersion({ ...base, objects: [...base.objects] })).toBe(
      version,
    );
  });

  it.each([
    [
      'a live object changed',
      { objects: [object('Deployment', 'a', '12'), base.objects[1]] },
    ],
    ['a live object left', { objects: [base.objects[1]] }],
    ['the cache is still listing', { cacheReady: false }],
    [
      'a new reconcile attempt',
      { reconcile: record({ lastAttemptAt: '2026-11-27T05:01:00.000Z' }) },
    ],
    ['a new revision', { reconcile: record({ revision: 'r2' }) }],
    ['another result', { reconcile: record({ result: 'failed' }) }],
    ['no record', { reconcile: null }],
    [
      'the HPA changed',
      { hpaOf: () => object('HorizontalPodAutoscaler', 'keda-hpa-a', '8') },
    ],
    ['the HPA is gone', { hpaOf: () => undefined }],
    ['another second for a running job', { second: 1_000 }],
  ])('changes when %s', (_what, change) => {
    expect(statusVersion({ ...base, ...change } as typeof base)).not.toBe(
      version,
    );
  });
});
