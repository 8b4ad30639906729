import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import type { Request } from 'express';
import { RememberedCallers } from './Callers';

const withHeader = (authorization?: string) =>
  ({ headers: authorization ? { authorization } : {} } as Request);

/** An unsigned JWT-shaped token with this `exp` (seconds); only its payload is read here. */
const jwtExpiringAt = (exp: number) =>
  `e30.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

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
  const callers = new RememberedCallers(httpAuth, {
    staleMs: 5_000,
    maxEntries: 2,
    now: () => now,
  });
  return { callers, httpAuth, advance: (ms: number) => (now += ms) };
}

describe('RememberedCallers', () => {
  it('verifies one bearer token once within the window, and again after it', async () => {
    const { callers, httpAuth, advance } = setup();
    await callers.reader(withHeader('Bearer a'));
    await callers.reader(withHeader('bearer   a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(1);
    expect(httpAuth.credentials).toHaveBeenCalledWith(expect.anything(), {
      allow: ['user', 'service'],
    });
    await callers.reader(withHeader('Bearer b'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(2);
    advance(5_001);
    await callers.reader(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(3);
  });

  it('never keeps credentials past the token’s own expiry', async () => {
    const { callers, httpAuth, advance } = setup(1_000);
    await callers.reader(withHeader('Bearer a'));
    advance(999);
    await callers.reader(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(1);
    advance(2);
    await callers.reader(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(2);
  });

  it('bounds credentials without an expiry (service tokens) by the JWT’s exp claim', async () => {
    const { callers, httpAuth, advance } = setup();
    const token = jwtExpiringAt((1_000_000 + 2_000) / 1000);
    await callers.reader(withHeader(`Bearer ${token}`));
    advance(1_999);
    await callers.reader(withHeader(`Bearer ${token}`));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(1);
    advance(1);
    await callers.reader(withHeader(`Bearer ${token}`));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(2);
  });

  it('keeps no failure and caches nothing without a bearer token', async () => {
    const { callers, httpAuth } = setup();
    for (let i = 0; i < 2; i++) {
      await expect(callers.reader(withHeader('Bearer bad'))).rejects.toThrow(
        'Invalid token',
      );
      await callers.reader(withHeader());
      await callers.reader(withHeader('Basic YTpi'));
    }
    expect(httpAuth.credentials).toHaveBeenCalledTimes(6);
  });

  it('holds at most maxEntries tokens', async () => {
    const { callers, httpAuth } = setup();
    for (const t of ['a', 'b', 'c', 'a']) {
      await callers.reader(withHeader(`Bearer ${t}`));
    }
    // "a" was the oldest of three with room for two, so it was verified again.
    expect(httpAuth.credentials).toHaveBeenCalledTimes(4);
  });

  it('verifies the caller of a write on every request', async () => {
    const { callers, httpAuth } = setup();
    await callers.reader(withHeader('Bearer a'));
    await callers.writer(withHeader('Bearer a'));
    await callers.writer(withHeader('Bearer a'));
    expect(httpAuth.credentials).toHaveBeenCalledTimes(3);
  });
});
