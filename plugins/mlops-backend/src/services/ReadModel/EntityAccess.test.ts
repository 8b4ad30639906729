import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogEntityAccess } from './EntityAccess';

const workload = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'mlops/manifests': './deploy', 'mlops/namespace': 'ml' },
  },
});
const ref = (name: string) => ({
  kind: 'component',
  namespace: 'default',
  name,
});
const conditional = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims: [] },
  },
} as const;
type Policy = AuthorizeResult.ALLOW | AuthorizeResult.DENY | 'conditional';

function setup(
  options: {
    read?: Policy;
    catalogRead?: Policy;
    perEntity?: (ref: string) => AuthorizeResult;
    listed?: Entity[];
  } = {},
) {
  let now = 0;
  const decision = (policy: Policy = AuthorizeResult.ALLOW) =>
    policy === 'conditional' ? conditional : { result: policy };
  const permissions = mockServices.permissions.mock();
  permissions.authorizeConditional.mockImplementation(
    async requests =>
      requests.map(r =>
        r.permission.name === 'catalog.entity.read'
          ? decision(options.catalogRead)
          : decision(options.read),
      ) as any,
  );
  permissions.authorize.mockImplementation(
    async requests =>
      requests.map(r => ({
        result: (options.perEntity ?? (() => AuthorizeResult.ALLOW))(
          (r as any).resourceRef,
        ),
      })) as any,
  );
  const listed = options.listed ?? [workload('a'), workload('b')];
  const catalog = catalogServiceMock.mock({
    getEntities: async () => ({ items: listed }),
    getEntityByRef: async r =>
      typeof r !== 'string' && r.name === 'new' ? workload('new') : undefined,
  });
  const access = new CatalogEntityAccess({
    permissions,
    catalog,
    auth: mockServices.auth({ pluginId: 'mlops' }),
    defaultCluster: 'gpu',
    staleMs: 5_000,
    maxEntries: 100,
    now: () => now,
  });
  return { access, permissions, catalog, advance: (ms: number) => (now += ms) };
}

const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');

describe('CatalogEntityAccess', () => {
  it('asks the policy once per principal within the staleness window, for both permissions and every entity', async () => {
    const { access, permissions, advance } = setup();
    await access.readable(ref('a'), alice);
    await access.readable(ref('b'), mockCredentials.user('user:default/alice'));
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(
      permissions.authorizeConditional.mock.calls[0][0].map(
        r => r.permission.name,
      ),
    ).toEqual(['mlops.workload.read', 'catalog.entity.read']);
    await access.readable(ref('a'), bob);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
    advance(5_000);
    await access.readable(ref('a'), alice);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(3);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('remembers a denial as a denial', async () => {
    const { access, permissions, catalog } = setup({
      read: AuthorizeResult.DENY,
    });
    for (let i = 0; i < 2; i++) {
      await expect(access.readable(ref('a'), alice)).rejects.toThrow(
        'missing permission mlops.workload.read',
      );
    }
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });

  it('resolves a conditional read policy per entity, remembering each entity decision', async () => {
    const { access, permissions } = setup({
      read: 'conditional',
      perEntity: r =>
        r === 'component:default/a'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    await expect(access.readable(ref('a'), alice)).resolves.toMatchObject({
      ref: 'component:default/a',
    });
    await expect(access.readable(ref('b'), alice)).rejects.toThrow(
      'missing permission',
    );
    await access.readable(ref('a'), alice);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
    expect(permissions.authorize.mock.calls[0][0]).toEqual([
      {
        permission: expect.objectContaining({ name: 'mlops.workload.read' }),
        resourceRef: 'component:default/a',
      },
    ]);
  });

  it('lists the workloads once per window for every principal the catalog shows everything, with its own credentials', async () => {
    const { access, catalog, advance } = setup();
    await expect(access.readable(ref('a'), alice)).resolves.toEqual({
      entity: workload('a'),
      ref: 'component:default/a',
      cluster: 'gpu',
      namespace: 'ml',
      entityLabel: expect.stringMatching(/^[0-9a-f]{20}$/),
    });
    await access.readable(ref('b'), bob);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { 'metadata.annotations.mlops/manifests': expect.anything() },
      }),
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ subject: 'plugin:mlops' }),
        }),
      },
    );
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
    advance(5_000);
    await access.readable(ref('a'), alice);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('asks the catalog, as the caller, for what the list lacks, and never remembers "not found"', async () => {
    const { access, catalog } = setup();
    await expect(access.readable(ref('new'), alice)).resolves.toMatchObject({
      ref: 'component:default/new',
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(ref('new'), {
      credentials: alice,
    });
    for (let i = 0; i < 2; i++) {
      await expect(access.readable(ref('gone'), alice)).rejects.toThrow(
        'entity component:default/gone not found',
      );
    }
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('reads as the caller when the catalog decides per entity, and finds nothing where it denies', async () => {
    const conditionalCatalog = setup({ catalogRead: 'conditional' });
    await expect(
      conditionalCatalog.access.readable(ref('a'), alice),
    ).rejects.toThrow('not found');
    expect(conditionalCatalog.catalog.getEntities).not.toHaveBeenCalled();
    expect(conditionalCatalog.catalog.getEntityByRef).toHaveBeenCalledWith(
      ref('a'),
      { credentials: alice },
    );

    const denied = setup({ catalogRead: AuthorizeResult.DENY });
    await expect(denied.access.readable(ref('a'), alice)).rejects.toThrow(
      'entity component:default/a not found',
    );
    expect(denied.catalog.getEntities).not.toHaveBeenCalled();
    expect(denied.catalog.getEntityByRef).not.toHaveBeenCalled();
  });

  it('answers 404 for an entity without mlops/manifests', async () => {
    const plain = workload('plain');
    delete plain.metadata.annotations!['mlops/manifests'];
    const { access } = setup({ listed: [plain] });
    await expect(access.readable(ref('plain'), alice)).rejects.toThrow(
      'entity component:default/plain has no mlops/manifests annotation',
    );
  });

  it('decides and reads afresh on every sync, with the caller, for that entity', async () => {
    const { access, permissions, catalog } = setup();
    for (let i = 0; i < 2; i++) await access.syncable(ref('new'), alice);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
    expect(permissions.authorize.mock.calls[1][0]).toEqual([
      {
        permission: expect.objectContaining({ name: 'mlops.workload.sync' }),
        resourceRef: 'component:default/new',
      },
    ]);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(permissions.authorizeConditional).not.toHaveBeenCalled();
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });
});
