import { mockCredentials } from '@backstage/backend-test-utils';
import { principalKey } from './principalKey';

describe('principalKey', () => {
  it('tells users, services and on-behalf-of calls apart', () => {
    const keys = [
      principalKey(mockCredentials.user('user:default/alice')),
      principalKey(mockCredentials.user('user:default/bob')),
      principalKey(mockCredentials.service('plugin:catalog')),
      principalKey(
        mockCredentials.service('plugin:catalog', {
          permissionNames: ['mlops.workload.read'],
        }),
      ),
      principalKey({
        ...mockCredentials.user('user:default/alice'),
        principal: {
          type: 'user',
          userEntityRef: 'user:default/alice',
          actor: { type: 'service', subject: 'plugin:scaffolder' },
        },
      }),
    ];
    expect(keys.every(k => typeof k === 'string')).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(principalKey(mockCredentials.user('user:default/alice'))).toBe(
      keys[0],
    );
  });

  it('refuses to key an unauthenticated caller', () => {
    expect(principalKey(mockCredentials.none())).toBeUndefined();
  });
});
