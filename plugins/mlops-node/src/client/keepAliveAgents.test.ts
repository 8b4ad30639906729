import { closeKeepAliveAgents, keepAliveAgent } from './keepAliveAgents';

describe('keepAliveAgent', () => {
  afterEach(closeKeepAliveAgents);

  const tls = (cert: string) => ({
    ca: Buffer.from('ca'),
    cert: Buffer.from(cert),
    key: Buffer.from(`key of ${cert}`),
    rejectUnauthorized: true,
  });

  it('reuses one keep-alive agent for one TLS identity', () => {
    const agent = keepAliveAgent(tls('a'));
    expect(keepAliveAgent({ ...tls('a'), method: 'PATCH' })).toBe(agent);
    expect((agent as unknown as { keepAlive: boolean }).keepAlive).toBe(true);
  });

  it('uses another agent for another client certificate or verification setting', () => {
    const agent = keepAliveAgent(tls('a'));
    expect(keepAliveAgent(tls('b'))).not.toBe(agent);
    expect(keepAliveAgent({ ...tls('a'), rejectUnauthorized: false })).not.toBe(
      agent,
    );
  });

  it('closes the least recently used agent beyond 32 identities', () => {
    const first = keepAliveAgent(tls('first'));
    const destroy = jest.spyOn(first, 'destroy');
    for (let i = 0; i < 32; i++) keepAliveAgent(tls(`rotated-${i}`));
    expect(destroy).toHaveBeenCalled();
    expect(keepAliveAgent(tls('first'))).not.toBe(first);
  });
});
