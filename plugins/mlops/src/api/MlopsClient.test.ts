import { ResponseError } from '@backstage/errors';
import { MlopsClient } from './MlopsClient';

const ref = { kind: 'Component', namespace: 'default', name: 'llama3-8b-chat' };

function client(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => response);
  const api = new MlopsClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/mlops' },
    fetchApi: { fetch: fetch as any },
  });
  return { api, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('MlopsClient', () => {
  it('gets the status of an entity by its lower-cased ref', async () => {
    const { api, fetch } = client(json({ entityRef: 'x' }));
    await expect(api.getStatus(ref)).resolves.toEqual({ entityRef: 'x' });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/mlops/v1/entities/component/default/llama3-8b-chat/status',
    );
  });

  it('passes range and step to the metrics route', async () => {
    const { api, fetch } = client(json({}));
    await api.getMetrics(ref, { range: '1h', step: '1m' });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/mlops/v1/entities/component/default/llama3-8b-chat/metrics?range=1h&step=1m',
    );
  });

  it('posts a sync with its options', async () => {
    const { api, fetch } = client(json({ result: 'synced' }));
    await api.sync(ref, { confirmPrune: true });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toMatch(/\/sync$/);
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"confirmPrune":true}');
  });

  it('throws a ResponseError carrying the backend message', async () => {
    const { api } = client(
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'missing permission mlops.workload.sync',
          },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await api.sync(ref).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('missing permission mlops.workload.sync');
  });
});
