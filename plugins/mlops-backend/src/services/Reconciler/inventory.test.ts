import { desiredState } from './desiredState';
import {
  afterPartialApply,
  inventoryFromLive,
  leftoversOf,
  type InventoryItem,
} from './inventory';
import { withOwnership } from './ownership';

const ME = 'component:default/me';
const OTHER = 'component:default/other';

const owned = (ref: string, name: string, namespace = 'ns') => ({
  ...withOwnership(
    { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name } },
    { entityRef: ref, namespace },
  ),
});

const desired = (apiVersion: string, name: string) =>
  desiredState(
    [
      {
        object: { apiVersion, kind: 'RayCluster', metadata: { name } },
        file: 'k8s/ray.yaml',
        document: 0,
      },
    ],
    { entityRef: ME, namespace: 'ns' },
  )[0];

describe('inventoryFromLive', () => {
  it("keeps only the entity's own objects in its namespace, with unknown hashes", () => {
    expect(
      inventoryFromLive(
        [owned(ME, 'a'), owned(OTHER, 'b'), owned(ME, 'c', 'elsewhere')],
        ME,
        'ns',
      ),
    ).toEqual([
      {
        key: {
          apiVersion: 'ray.io/v1',
          kind: 'RayCluster',
          namespace: 'ns',
          name: 'a',
        },
        hash: '',
      },
    ]);
  });
});

describe('leftoversOf', () => {
  const recordedAs = (apiVersion: string, name: string): InventoryItem => ({
    key: { apiVersion, kind: 'RayCluster', namespace: 'ns', name },
    hash: 'h',
  });

  it('is what the desired state no longer declares', () => {
    expect(
      leftoversOf(
        [recordedAs('ray.io/v1', 'a'), recordedAs('ray.io/v1', 'b')],
        [desired('ray.io/v1', 'a')],
      ),
    ).toEqual([recordedAs('ray.io/v1', 'b')]);
  });

  it('is not an object recorded under another version of its group', () => {
    expect(
      leftoversOf(
        [recordedAs('ray.io/v1alpha1', 'a')],
        [desired('ray.io/v1', 'a')],
      ),
    ).toEqual([]);
  });
});

describe('afterPartialApply', () => {
  it('records what was applied with its hash and keeps the rest as it was', () => {
    const applied = desired('ray.io/v1', 'a');
    const untouched: InventoryItem = {
      key: { ...applied.key, name: 'b' },
      hash: 'old-b',
    };
    const before: InventoryItem[] = [
      { key: { ...applied.key, apiVersion: 'ray.io/v1alpha1' }, hash: 'old' },
      untouched,
    ];
    expect(afterPartialApply(before, [applied])).toEqual([
      untouched,
      { key: applied.key, hash: applied.hash },
    ]);
  });
});
