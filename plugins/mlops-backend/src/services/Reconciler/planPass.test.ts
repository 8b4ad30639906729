import type { ManifestObject } from '@mlops-plugins/backstage-plugin-mlops-common';
import { desiredState, type DesiredObject } from './desiredState';
import type { InventoryItem } from './inventory';
import { objectId, type ObjectKey } from './objectId';
import { isOwnedBy, withOwnership } from './ownership';
import { planPass, pruneVerdict, type PassInput } from './planPass';

const ME = 'component:default/me';
const OTHER = 'component:default/other';
const NS = 'ns';

const manifest = (
  kind: string,
  name: string,
  apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1',
  data: Record<string, unknown> = {},
): ManifestObject => ({ apiVersion, kind, metadata: { name }, ...data });

const desiredOf = (...objects: ManifestObject[]): DesiredObject[] =>
  desiredState(
    objects.map(object => ({ object, file: 'k8s/a.yaml', document: 0 })),
    { entityRef: ME, namespace: NS },
  );

/** The live object the API server would hold after applying `item`. */
const liveOf = (item: DesiredObject, extra: Record<string, unknown> = {}) => ({
  ...structuredClone(item.object),
  ...extra,
  metadata: { ...item.object.metadata, resourceVersion: '7' },
});

const recorded = (item: DesiredObject, hash = item.hash): InventoryItem => ({
  key: item.key,
  hash,
});

function plan(overrides: Partial<PassInput> & { liveObjects?: any[] } = {}) {
  const { liveObjects = [], ...rest } = overrides;
  const live = new Map(
    liveObjects.map(o => [
      objectId({
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: NS,
        name: o.metadata.name,
      }),
      o,
    ]),
  );
  return planPass({
    entityRef: ME,
    desired: [],
    live: (key: ObjectKey) => live.get(objectId(key)) ?? null,
    references: [],
    otherClaimants: () => [],
    inventory: [],
    adoptUnowned: false,
    maxPruneShare: 0.5,
    confirmPrune: false,
    ...rest,
  });
}

const actions = (p: ReturnType<typeof plan>) =>
  p.steps.map(s => `${s.action}:${s.item.key.kind}/${s.item.key.name}`);

describe('planPass', () => {
  const [config] = desiredOf(manifest('ConfigMap', 'settings'));

  it('applies an object that is absent, as a create', () => {
    const result = plan({ desired: [config] });
    expect(result.steps).toEqual([
      { item: config, action: 'apply', exists: false, drift: [] },
    ]);
    expect(result.inventory).toEqual([recorded(config)]);
  });

  it('skips an object recorded with the same hash and live without drift', () => {
    const result = plan({
      desired: [config],
      liveObjects: [liveOf(config)],
      inventory: [recorded(config)],
    });
    expect(actions(result)).toEqual(['unchanged:ConfigMap/settings']);
  });

  it('applies an object whose content changed since it was recorded', () => {
    const result = plan({
      desired: [config],
      liveObjects: [liveOf(config)],
      inventory: [recorded(config, 'older')],
    });
    expect(result.steps[0]).toMatchObject({ action: 'apply', exists: true });
  });

  it('applies an object changed in the cluster, naming the drifted fields', () => {
    const [withData] = desiredOf(
      manifest('ConfigMap', 'settings', 'v1', { data: { a: '1' } }),
    );
    const result = plan({
      desired: [withData],
      liveObjects: [liveOf(withData, { data: { a: '2' } })],
      inventory: [recorded(withData)],
    });
    expect(result.steps[0]).toMatchObject({
      action: 'apply',
      drift: ['.data.a'],
    });
  });

  it('applies an object found live but not recorded (lost inventory) without calling it drift', () => {
    const result = plan({ desired: [config], liveObjects: [liveOf(config)] });
    expect(result.steps[0]).toMatchObject({
      action: 'apply',
      exists: true,
      drift: [],
    });
  });

  it('refuses the whole pass when an object belongs to another entity, and plans nothing else', () => {
    const theirs = withOwnership(manifest('ConfigMap', 'settings'), {
      entityRef: OTHER,
      namespace: NS,
    });
    const result = plan({
      desired: [config],
      liveObjects: [theirs],
      inventory: [recorded(config)],
    });
    expect(result.refusals).toHaveLength(1);
    expect(result.refusals[0]).toContain('belongs to entity');
    expect(result.steps).toEqual([]);
    expect(result.prune).toEqual([]);
  });

  it('names the refused entities that also declare an object this entity owns', () => {
    const result = plan({
      desired: [config],
      liveObjects: [liveOf(config)],
      inventory: [recorded(config)],
      otherClaimants: () => [OTHER],
    });
    expect(result.steps[0].contestedBy).toEqual([OTHER]);
  });

  it('adopts an unowned object when the namespace allows it', () => {
    const result = plan({
      desired: [config],
      liveObjects: [manifest('ConfigMap', 'settings')],
      adoptUnowned: true,
    });
    expect(result.adopted).toEqual([objectId(config.key)]);
    expect(result.steps[0].action).toBe('apply');
  });

  it('applies config before workloads before autoscalers, whatever the manifest order', () => {
    const objects = desiredOf(
      manifest('ScaledObject', 'server', 'keda.sh/v1alpha1', {
        spec: { scaleTargetRef: { name: 'server' } },
      }),
      manifest('Deployment', 'server'),
      manifest('ServiceMonitor', 'server', 'monitoring.coreos.com/v1'),
      manifest('Service', 'server'),
      manifest('ConfigMap', 'b'),
      manifest('ConfigMap', 'a'),
    );
    expect(actions(plan({ desired: objects }))).toEqual([
      'apply:Service/server',
      'apply:ConfigMap/b',
      'apply:ConfigMap/a',
      'apply:Deployment/server',
      'apply:ScaledObject/server',
      'apply:ServiceMonitor/server',
    ]);
  });

  describe('prune', () => {
    const [deployment, scaled, claim] = desiredOf(
      manifest('Deployment', 'server'),
      manifest('ScaledObject', 'server', 'keda.sh/v1alpha1', {
        spec: { scaleTargetRef: { name: 'server' } },
      }),
      manifest('PersistentVolumeClaim', 'cache'),
    );

    it('prunes what is recorded and no longer declared, autoscalers before workloads', () => {
      const result = plan({
        desired: [config],
        inventory: [recorded(config), recorded(deployment), recorded(scaled)],
        maxPruneShare: 1,
      });
      expect(result.prune.map(i => i.key.kind)).toEqual([
        'ScaledObject',
        'Deployment',
      ]);
      expect(result.inventory).toEqual([recorded(config)]);
    });

    it('never prunes a PersistentVolumeClaim: kept, with the reason, and dropped from the inventory', () => {
      const result = plan({
        desired: [config],
        inventory: [recorded(config), recorded(claim)],
      });
      expect(result.prune).toEqual([]);
      expect(result.kept).toEqual([
        {
          key: claim.key,
          message: 'PersistentVolumeClaim is never pruned automatically',
        },
      ]);
      expect(result.inventory).toEqual([recorded(config)]);
    });

    it('blocks a prune larger than maxPruneShare and keeps the leftovers recorded', () => {
      const result = plan({
        desired: [config],
        inventory: [recorded(config), recorded(deployment), recorded(scaled)],
        maxPruneShare: 0.5,
      });
      expect(result.prune).toEqual([]);
      expect(result.pruneBlocked).toBe(
        'prune of 2 of 3 objects exceeds mlops.reconcile.maxPruneShare (0.5); sync with confirmation to prune: Deployment/server, ScaledObject/server',
      );
      expect(result.inventory).toEqual([
        recorded(config),
        recorded(deployment),
        recorded(scaled),
      ]);
    });

    it('prunes past maxPruneShare when the user confirmed it', () => {
      const result = plan({
        desired: [config],
        inventory: [recorded(config), recorded(deployment), recorded(scaled)],
        maxPruneShare: 0.5,
        confirmPrune: true,
      });
      expect(result.pruneBlocked).toBeUndefined();
      expect(result.prune).toHaveLength(2);
    });

    it('prunes nothing when a manifest moves an object to another served version', () => {
      const [v1alpha1] = desiredOf(
        manifest('RayCluster', 'ray', 'ray.io/v1alpha1'),
      );
      const [v1] = desiredOf(manifest('RayCluster', 'ray', 'ray.io/v1'));
      const result = plan({
        desired: [v1],
        liveObjects: [liveOf(v1alpha1)],
        inventory: [recorded(v1alpha1)],
        maxPruneShare: 1,
      });
      expect(result.prune).toEqual([]);
      expect(result.steps[0]).toMatchObject({ action: 'apply', exists: true });
      expect(result.inventory).toEqual([recorded(v1)]);
    });
  });
});

describe('pruneVerdict', () => {
  const owned = (o: any) => isOwnedBy(o, ME);
  const ours = withOwnership(manifest('ConfigMap', 'old'), {
    entityRef: ME,
    namespace: NS,
  });

  it('does nothing for an object already gone', () => {
    expect(pruneVerdict(undefined, owned)).toEqual({ action: 'gone' });
  });

  it('deletes the entity own object at the resourceVersion it was read at', () => {
    const live = {
      ...ours,
      metadata: { ...ours.metadata, resourceVersion: '42' },
    };
    expect(pruneVerdict(live, owned)).toEqual({
      action: 'delete',
      resourceVersion: '42',
    });
  });

  it('keeps an object that an owner manages, or that lost our labels', () => {
    const managed = {
      ...ours,
      metadata: {
        ...ours.metadata,
        ownerReferences: [{ kind: 'RayCluster', name: 'ray' }],
      },
    };
    expect(pruneVerdict(managed, owned)).toEqual({
      action: 'kept',
      message: 'has ownerReferences; its owner manages it',
    });
    const relabelled = {
      ...ours,
      metadata: { ...ours.metadata, labels: {} },
    };
    expect(pruneVerdict(relabelled, owned)).toEqual({
      action: 'kept',
      message: "no longer carries this entity's ownership labels",
    });
  });
});
