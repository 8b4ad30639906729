import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import type { Request } from 'express';
import { VerifiedTokens } from './VerifiedTokens';

const withHeader = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {} } as Request);

function setup(expiresInMs?: number) {
  let now = 1_000_000;
  const httpAuth = mockServices.httpAuth.mock();
  httpAuth.credentials.mockImplementation(async (req: Request) => {
    if (req.headers.authorization === 'Bearer bad') {
      throw new AuthenticationError('Invalid token');
    }
    const user = mockCredentials.user('user:default/alice');
    return expiresInMs === undefined
      ? user
      : { ...user, expiresAt: new Date(now + expiresInMs) };
  });
  const tokens = new VerifiedTokens(httpAuth, {
    ttlMs: 5_000,
    maxEntries: 2,
    now: () => now,
  });
  return { tokens, httpAuth, advance: (ms: number) => (now += ms) };
}

describe('VerifiedTokens', () => {
  it('verifies one bearer token once within the ttl, and again after it', async () => {
    const { tokens, httpAuth, advance } = setup();
    await tokens.credentials(withHeader('Bearer a'));
    await tokens.credentials(withHeader('bearer   a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(1);
    expect(httpAuth.credentials).toHaveBeenCalledWith(expect.anything(), {
      allow: ['user', 'service'],
    });
    await tokens.credentials(withHeader('Bearer b'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(2);
    advance(5_001);
    await tokens.credentials(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(3);
  });

  it('never keeps credentials past the token’s own expiry', async () => {
    const { tokens, httpAuth, advance } = setup(1_000);
    await tokens.credentials(withHeader('Bearer a'));
    advance(999);
    await tokens.credentials(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(1);
    advance(2);
    await tokens.credentials(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(2);
  });

  it('keeps no failure and caches nothing without a bearer token', async () => {
    const { tokens, httpAuth } = setup();
    for (let i = 0; i < 2; i++) {
      await expect(
        tokens.credentials(withHeader('Bearer bad')),
      ).rejects.toThrow('Invalid token');
      await tokens.credentials(withHeader());
      await tokens.credentials(withHeader('Basic YTpi'));
    }
    expect(httpAuth.credentials).toHaveBeenCalledTimes(6);
  });

  it('holds at most maxEntries tokens', async () => {
    const { tokens, httpAuth } = setup();
    for (const t of ['a', 'b', 'c', 'a']) {
      await tokens.credentials(withHeader(`Bearer ${t}`));
    }
    // "a" was the oldest of three with room for two, so it was verified again.
    expect(httpAuth.credentials).toHaveBeenCalledTimes(4);
  });
});
