import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { VisibleWorkloads } from './VisibleWorkloads';

const workload = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'mlops/manifests': './deploy' },
  },
});
const ref = (name: string) => ({
  kind: 'component',
  namespace: 'default',
  name,
});

function setup() {
  let now = 0;
  const catalog = catalogServiceMock.mock({
    getEntities: async () => ({ items: [workload('a'), workload('b')] }),
  });
  const workloads = new VisibleWorkloads(catalog, {
    ttlMs: 5_000,
    maxPrincipals: 10,
    now: () => now,
  });
  return { catalog, workloads, advance: (ms: number) => (now += ms) };
}

describe('VisibleWorkloads', () => {
  it("fetches a principal's workloads once per ttl, with its credentials, filtered to workloads", async () => {
    const { catalog, workloads, advance } = setup();
    const alice = mockCredentials.user('user:default/alice');
    await expect(workloads.find(ref('a'), alice)).resolves.toMatchObject({
      metadata: { name: 'a' },
    });
    await expect(workloads.find(ref('b'), alice)).resolves.toMatchObject({
      metadata: { name: 'b' },
    });
    await expect(workloads.find(ref('c'), alice)).resolves.toBeUndefined();
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          'metadata.annotations.mlops/manifests': expect.anything(),
        },
      }),
      { credentials: alice },
    );
    advance(5_000);
    await workloads.find(ref('a'), alice);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps one snapshot per principal', async () => {
    const { catalog, workloads } = setup();
    await workloads.find(ref('a'), mockCredentials.user('user:default/alice'));
    const bob = mockCredentials.user('user:default/bob');
    await workloads.find(ref('a'), bob);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
    expect(catalog.getEntities).toHaveBeenLastCalledWith(expect.anything(), {
      credentials: bob,
    });
  });

  it('has nothing for an unauthenticated caller and asks nothing', async () => {
    const { catalog, workloads } = setup();
    await expect(
      workloads.find(ref('a'), mockCredentials.none()),
    ).resolves.toBeUndefined();
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });
});
