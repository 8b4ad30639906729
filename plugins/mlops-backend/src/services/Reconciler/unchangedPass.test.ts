import { desiredState, type DesiredObject } from './desiredState';
import { objectId, type ObjectKey } from './objectId';
import { withOwnership } from './ownership';
import { unchangedOutcomes, type UnchangedInput } from './unchangedPass';

const ME = 'component:default/me';
const OTHER = 'component:default/other';

const [config, ray] = desiredState(
  [
    {
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      file: 'k8s/a.yaml',
      document: 0,
    },
    {
      object: {
        apiVersion: 'ray.io/v1',
        kind: 'RayCluster',
        metadata: { name: 'r' },
      },
      file: 'k8s/a.yaml',
      document: 1,
    },
  ],
  { entityRef: ME, namespace: 'ns' },
);

function check(
  overrides: Partial<UnchangedInput> & { live?: Map<string, any | null> } = {},
) {
  const desired: DesiredObject[] = overrides.desired ?? [config, ray];
  const live =
    overrides.live ??
    new Map(desired.map(d => [objectId(d.key), structuredClone(d.object)]));
  return unchangedOutcomes({
    entityRef: ME,
    desired,
    ids: desired.map(d => objectId(d.key)),
    references: [],
    inventory: desired.map(d => ({ key: d.key, hash: d.hash })),
    claims: new Map(desired.map(d => [objectId(d.key), [ME]])),
    lookup: (key: ObjectKey) => live.get(objectId(key)),
    ...overrides,
  });
}

describe('unchangedOutcomes', () => {
  it('reports every object unchanged when recorded, claimed and live as desired', () => {
    expect(check()?.map(o => o.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('names other claimants of an object this entity owns', () => {
    const outcomes = check({
      claims: new Map([
        [objectId(config.key), [ME, OTHER]],
        [objectId(ray.key), [ME]],
      ]),
    });
    expect(outcomes?.[0].contestedBy).toEqual([OTHER]);
  });

  it.each([
    ['no inventory', { inventory: undefined }],
    ['an inventory of another size', { inventory: [] }],
    [
      'a different recorded hash',
      {
        inventory: [
          { key: config.key, hash: 'older' },
          { key: ray.key, hash: ray.hash },
        ],
      },
    ],
    ['an object not claimed yet', { claims: new Map() }],
    ['an object the cache does not know', { live: new Map() }],
    [
      'an object the cache watches under another version',
      {
        live: new Map<string, any>([
          [objectId(config.key), config.object],
          [objectId(ray.key), { ...ray.object, apiVersion: 'ray.io/v1alpha1' }],
        ]),
      },
    ],
    [
      'drift in the cluster',
      {
        live: new Map<string, any>([
          [objectId(config.key), { ...config.object, data: { a: '1' } }],
          [objectId(ray.key), { ...ray.object, metadata: { name: 'r' } }],
        ]),
      },
    ],
  ])('leaves the judgement to a full pass on %s', (_what, overrides) => {
    expect(check(overrides as Partial<UnchangedInput>)).toBeUndefined();
  });

  it("leaves a pass whose pods use another entity's ConfigMap to the full pass", () => {
    const theirs = withOwnership(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' } },
      { entityRef: OTHER, namespace: 'ns' },
    );
    const live = new Map<string, any>([
      [objectId(config.key), config.object],
      [objectId(ray.key), ray.object],
      [objectId({ ...config.key, name: 'shared' }), theirs],
    ]);
    expect(
      check({
        live,
        references: [
          {
            from: ray,
            ref: { kind: 'ConfigMap', name: 'shared', path: '.spec' },
          },
        ],
      }),
    ).toBeUndefined();
  });
});
