import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CachedEntityLookup } from './CachedEntityLookup';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'llama', namespace: 'default' },
};

function setup() {
  let now = 0;
  const catalog = catalogServiceMock.mock();
  catalog.getEntityByRef.mockImplementation(async ref =>
    typeof ref !== 'string' && ref.name === 'llama' ? entity : undefined,
  );
  const cached = new CachedEntityLookup(catalog, {
    ttlMs: 5_000,
    maxEntries: 100,
    now: () => now,
  });
  return { cached, catalog, advance: (ms: number) => (now += ms) };
}

const llama = { kind: 'Component', namespace: 'default', name: 'llama' };

describe('CachedEntityLookup', () => {
  it('reads an entity once per principal within the ttl, with that principal', async () => {
    const { cached, catalog, advance } = setup();
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    await expect(cached.getEntityByRef(llama, alice)).resolves.toBe(entity);
    await cached.getEntityByRef({ ...llama, kind: 'component' }, alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    await cached.getEntityByRef(llama, bob);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(catalog.getEntityByRef).toHaveBeenLastCalledWith(llama, {
      credentials: bob,
    });
    advance(5_000);
    await cached.getEntityByRef(llama, alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('does not remember "not found"', async () => {
    const { cached, catalog } = setup();
    const alice = mockCredentials.user('user:default/alice');
    const missing = { ...llama, name: 'new-model' };
    await expect(cached.getEntityByRef(missing, alice)).resolves.toBe(
      undefined,
    );
    await cached.getEntityByRef(missing, alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
  });
});

describe('CachedEntityLookup with a snapshot of workloads', () => {
  it('answers from the snapshot, and asks the catalog by ref for what it lacks', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => entity,
    });
    const workloads = {
      find: jest.fn(async (ref: { name: string }) =>
        ref.name === 'llama' ? entity : undefined,
      ),
    };
    const cached = new CachedEntityLookup(
      catalog,
      { ttlMs: 5_000, maxEntries: 100 },
      workloads,
    );
    const alice = mockCredentials.user('user:default/alice');
    await expect(cached.getEntityByRef(llama, alice)).resolves.toBe(entity);
    expect(workloads.find).toHaveBeenCalledWith(llama, alice);
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
    await cached.getEntityByRef({ ...llama, name: 'website' }, alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });
});
