import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { CachedPermissions } from './CachedPermissions';

const read = createPermission({
  name: 'mlops.workload.read',
  attributes: { action: 'read' },
});
const sync = createPermission({
  name: 'mlops.workload.sync',
  attributes: { action: 'update' },
});

function setup(result: AuthorizeResult = AuthorizeResult.ALLOW) {
  let now = 0;
  const permissions = mockServices.permissions.mock();
  // CONDITIONAL is impossible for a basic permission by type; a misbehaving policy must not be remembered.
  permissions.authorize.mockImplementation(
    async requests =>
      requests.map(() => ({ result })) as { result: AuthorizeResult.ALLOW }[],
  );
  const cached = new CachedPermissions(permissions, {
    ttlMs: 5_000,
    maxEntries: 100,
    now: () => now,
  });
  return { cached, permissions, advance: (ms: number) => (now += ms) };
}

describe('CachedPermissions', () => {
  it('asks once per principal and permission within the ttl', async () => {
    const { cached, permissions, advance } = setup();
    const alice = mockCredentials.user('user:default/alice');
    await cached.authorize(read, alice);
    await cached.authorize(read, mockCredentials.user('user:default/alice'));
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    await cached.authorize(read, mockCredentials.user('user:default/bob'));
    await cached.authorize(sync, alice);
    expect(permissions.authorize).toHaveBeenCalledTimes(3);
    advance(5_000);
    await cached.authorize(read, alice);
    expect(permissions.authorize).toHaveBeenCalledTimes(4);
  });

  it('remembers a denial as a denial', async () => {
    const { cached, permissions } = setup(AuthorizeResult.DENY);
    const alice = mockCredentials.user('user:default/alice');
    await expect(cached.authorize(read, alice)).resolves.toBe(
      AuthorizeResult.DENY,
    );
    await expect(cached.authorize(read, alice)).resolves.toBe(
      AuthorizeResult.DENY,
    );
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
  });

  it('does not remember a conditional answer', async () => {
    const { cached, permissions } = setup(AuthorizeResult.CONDITIONAL);
    const alice = mockCredentials.user('user:default/alice');
    await cached.authorize(read, alice);
    await cached.authorize(read, alice);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });
});
