import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mlopsWorkloadReadPermission as read,
  mlopsWorkloadSyncPermission as sync,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { CachedPermissions } from './CachedPermissions';

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

function setup(
  policy: AuthorizeResult.ALLOW | AuthorizeResult.DENY | 'conditional',
  perEntity: (ref: string) => AuthorizeResult = () => AuthorizeResult.ALLOW,
) {
  let now = 0;
  const permissions = mockServices.permissions.mock();
  permissions.authorizeConditional.mockImplementation(
    async requests =>
      requests.map(() =>
        policy === 'conditional' ? conditional : { result: policy },
      ) as any,
  );
  permissions.authorize.mockImplementation(
    async requests =>
      requests.map(r => ({ result: perEntity((r as any).resourceRef) })) as any,
  );
  const cached = new CachedPermissions(permissions, {
    ttlMs: 5_000,
    maxEntries: 100,
    now: () => now,
  });
  return { cached, permissions, advance: (ms: number) => (now += ms) };
}

describe('CachedPermissions', () => {
  const alice = mockCredentials.user('user:default/alice');

  it('asks the policy once per principal and permission within the ttl, for every entity', async () => {
    const { cached, permissions, advance } = setup(AuthorizeResult.ALLOW);
    await cached.authorize(read, 'component:default/a', alice);
    await cached.authorize(
      read,
      'component:default/b',
      mockCredentials.user('user:default/alice'),
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    await cached.authorize(
      read,
      'component:default/a',
      mockCredentials.user('user:default/bob'),
    );
    await cached.authorize(sync, 'component:default/a', alice);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(3);
    advance(5_000);
    await cached.authorize(read, 'component:default/a', alice);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(4);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('remembers a denial as a denial', async () => {
    const { cached } = setup(AuthorizeResult.DENY);
    for (let i = 0; i < 2; i++) {
      await expect(
        cached.authorize(read, 'component:default/a', alice),
      ).resolves.toBe(AuthorizeResult.DENY);
    }
  });

  it('resolves a conditional policy per entity, remembering each entity decision', async () => {
    const { cached, permissions } = setup('conditional', ref =>
      ref === 'component:default/mine'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    );
    await expect(
      cached.authorize(read, 'component:default/mine', alice),
    ).resolves.toBe(AuthorizeResult.ALLOW);
    await expect(
      cached.authorize(read, 'component:default/theirs', alice),
    ).resolves.toBe(AuthorizeResult.DENY);
    await cached.authorize(read, 'component:default/mine', alice);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
    expect(permissions.authorize.mock.calls[0][0]).toEqual([
      { permission: read, resourceRef: 'component:default/mine' },
    ]);
  });
});
