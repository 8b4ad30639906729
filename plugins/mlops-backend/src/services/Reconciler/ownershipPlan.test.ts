import type { DesiredObject } from './desiredState';
import { objectId } from './objectId';
import { withOwnership } from './ownership';
import { planOwnership, type OwnershipInput } from './ownershipPlan';

const ME = 'component:default/me';
const OTHER = 'component:default/other';
const key = (name: string, kind = 'ConfigMap') => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  namespace: 'ns',
  name,
});
const desired = (name: string, kind = 'ConfigMap'): DesiredObject => ({
  key: key(name, kind),
  object: { apiVersion: 'v1', kind, metadata: { name } },
  hash: 'h',
});
const ownedBy = (ref: string, name: string): any =>
  withOwnership(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } },
    {
      entityRef: ref,
      namespace: 'ns',
    },
  );

function plan(
  input: Omit<Partial<OwnershipInput>, 'live'> & { live?: Record<string, any> },
) {
  const live: Record<string, any> = input.live ?? {};
  return planOwnership({
    entityRef: ME,
    desired: input.desired ?? [desired('a')],
    live: k => live[k.name] ?? null,
    otherClaimants: input.otherClaimants ?? (() => []),
    references: input.references ?? [],
    adoptUnowned: input.adoptUnowned ?? false,
  });
}

describe('planOwnership', () => {
  it('creates an absent object that nobody else declares, and updates its own', () => {
    expect(plan({}).refusals).toEqual([]);
    expect(plan({ live: { a: ownedBy(ME, 'a') } }).refusals).toEqual([]);
  });

  it('treats an object naming this entity in its annotation as its own (labels removed by hand are drift)', () => {
    const stripped = ownedBy(ME, 'a');
    stripped.metadata.labels = {};
    expect(plan({ live: { a: stripped } }).refusals).toEqual([]);
  });

  it("refuses another entity's object, naming the owner", () => {
    expect(plan({ live: { a: ownedBy(OTHER, 'a') } }).refusals).toEqual([
      'ConfigMap "a" belongs to entity "component:default/other"; an object of another entity is never taken over',
    ]);
  });

  it('refuses an object with our label but no owner named, and one a controller owns', () => {
    const labelled = {
      metadata: {
        labels: { 'app.kubernetes.io/managed-by': 'backstage-mlops' },
      },
    };
    expect(plan({ live: { a: labelled } }).refusals[0]).toMatch(
      /belongs to another MLOps entity/,
    );
    const child = {
      metadata: { ownerReferences: [{ kind: 'RayCluster', name: 'r' }] },
    };
    expect(plan({ live: { a: child } }).refusals[0]).toMatch(
      /managed by its owner "RayCluster" "r"/,
    );
    expect(
      plan({ live: { a: child }, adoptUnowned: true }).refusals,
    ).toHaveLength(1);
  });

  it('refuses an unowned object unless adopting is allowed, and then adopts it', () => {
    const handmade = {
      metadata: { managedFields: [{ manager: 'kubectl-edit' }] },
    };
    expect(plan({ live: { a: handmade } }).refusals).toEqual([
      'ConfigMap "a" exists without MLOps ownership (created by hand or by another tool; field managers: "kubectl-edit"); it is not taken over unless the namespace sets adoptUnowned',
    ]);
    const adopting = plan({ live: { a: handmade }, adoptUnowned: true });
    expect(adopting.refusals).toEqual([]);
    expect([...adopting.adopted]).toEqual([objectId(key('a'))]);
  });

  it('creates an object two entities declare for neither', () => {
    expect(plan({ otherClaimants: () => [OTHER] }).refusals).toEqual([
      'ConfigMap "a" is also declared by component:default/other; an object two entities declare is created for neither: remove it from all but one',
    ]);
    const handmade = { metadata: {} };
    expect(
      plan({
        live: { a: handmade },
        adoptUnowned: true,
        otherClaimants: () => [OTHER],
      }).refusals[0],
    ).toMatch(/also declared by component:default\/other/);
  });

  it('keeps its own object when another entity also declares it, and reports the contest', () => {
    const result = plan({
      live: { a: ownedBy(ME, 'a') },
      otherClaimants: () => [OTHER],
    });
    expect(result.refusals).toEqual([]);
    expect(result.contested.get(objectId(key('a')))).toEqual([OTHER]);
  });

  it("refuses pods using another entity's ConfigMap or PVC; allows unowned and its own", () => {
    const from = desired('web', 'Deployment');
    const ref = (
      name: string,
      kind: 'ConfigMap' | 'PersistentVolumeClaim' = 'ConfigMap',
    ) => ({
      kind,
      name,
      path: '.spec.template.spec.volumes[0]',
    });
    const result = plan({
      desired: [from, desired('mine')],
      references: [
        {
          from,
          ref: ref('theirs', 'PersistentVolumeClaim'),
          live: ownedBy(OTHER, 'theirs'),
        },
        { from, ref: ref('platform'), live: { metadata: {} } },
        { from, ref: ref('absent'), live: null },
        { from, ref: ref('mine'), live: null },
      ],
    });
    expect(result.refusals).toEqual([
      'Deployment "web" spec.template.spec.volumes[0] uses PersistentVolumeClaim "theirs", which belongs to entity "component:default/other"; pods may use only the entity\'s own or unowned ones',
    ]);
  });
});
