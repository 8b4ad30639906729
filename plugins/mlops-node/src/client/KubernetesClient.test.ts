import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  startTestApiServer,
  writeTestPki,
  type TestApiServer,
  type TestPki,
} from '../__testUtils__/testApiServer';
import { clusterKubeConfig } from '../config/clusterKubeConfig';
import { KubernetesClient } from './KubernetesClient';

let dir: string;
let pki: TestPki;
let server: TestApiServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-node-client-'));
  pki = writeTestPki(dir);
  server = await startTestApiServer(pki);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.seen.length = 0;
  server.respond = () => ({ status: 200, body: {} });
});

function client(url = server.url) {
  return new KubernetesClient(
    clusterKubeConfig({ name: 'test', url, caFile: pki.caFile, auth: {} }),
    { clusterName: 'test' },
  );
}

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'ml',
  name: 'c',
};

describe('KubernetesClient', () => {
  it('server-side applies the JSON as it is, impersonating, with force and dry-run', async () => {
    server.respond = () => ({ status: 200, body: { applied: true } });
    const object = { apiVersion: 'v1', kind: 'ConfigMap', 'x-unknown': 1 };
    const applied = await client().apply(configMap, object, {
      fieldManager: 'mlops',
      asUser: 'system:serviceaccount:ml:deployer',
      force: true,
      dryRun: true,
      fieldValidation: 'Strict',
    });
    expect(applied).toEqual({ applied: true });
    const [seen] = server.seen;
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe(
      '/api/v1/namespaces/ml/configmaps/c?fieldManager=mlops&force=true&dryRun=All&fieldValidation=Strict',
    );
    expect(seen.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(seen.headers['impersonate-user']).toBe(
      'system:serviceaccount:ml:deployer',
    );
    expect(JSON.parse(seen.body)).toEqual(object);
  });

  it("throws the API server's refusal, classified", async () => {
    server.respond = () => ({
      status: 409,
      body: { message: 'Apply failed with 1 conflict' },
    });
    await expect(
      client().apply(configMap, {}, { fieldManager: 'mlops' }),
    ).rejects.toMatchObject({
      name: 'KubeRequestError',
      kind: 'conflict',
      status: 409,
      message: 'apply ConfigMap ml/c: Apply failed with 1 conflict',
    });
  });

  it('reads an object, and an absent one as undefined', async () => {
    server.respond = () => ({ status: 200, body: { metadata: { name: 'c' } } });
    expect(await client().get(configMap, 'someone')).toEqual({
      metadata: { name: 'c' },
    });
    expect(server.seen[0].headers['impersonate-user']).toBe('someone');
    server.respond = () => ({ status: 404, body: { message: 'not found' } });
    expect(await client().get('/api/v1/namespaces/ml/pods/p')).toBeUndefined();
    server.respond = () => ({ status: 403, body: { message: 'forbidden' } });
    await expect(client().get(configMap)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('lists with a label selector, and an API that is not served as empty', async () => {
    server.respond = () => ({ status: 200, body: { items: [{ a: 1 }] } });
    const items = await client().listItems(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml' },
      'app.kubernetes.io/managed-by=mlops,mlops/entity in (a b)',
    );
    expect(items).toEqual([{ a: 1 }]);
    expect(server.seen[0].url).toBe(
      `/apis/apps/v1/namespaces/ml/deployments?labelSelector=${encodeURIComponent(
        'app.kubernetes.io/managed-by=mlops,mlops/entity in (a b)',
      )}`,
    );
    server.respond = () => ({ status: 404 });
    expect(await client().listItems('/apis/ray.io/v1/rayjobs')).toEqual([]);
    server.respond = () => ({ status: 200, body: { items: [], metadata: {} } });
    expect(await client().listAll('/api/v1/configmaps', 'a=b')).toEqual({
      items: [],
      metadata: {},
    });
  });

  it('deletes only the version read, in the background; absent is done', async () => {
    await client().delete(configMap, { asUser: 'u', resourceVersion: '42' });
    const [seen] = server.seen;
    expect(seen.method).toBe('DELETE');
    expect(JSON.parse(seen.body)).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Background',
      preconditions: { resourceVersion: '42' },
    });
    server.respond = () => ({ status: 404 });
    await expect(client().delete(configMap)).resolves.toBeUndefined();
    server.respond = () => ({ status: 409, body: { message: 'precondition' } });
    await expect(
      client().delete(configMap, { resourceVersion: '41' }),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('creates and merge-patches with a field manager', async () => {
    await client().create(
      '/api/v1/namespaces/ml/pods',
      { kind: 'Pod' },
      { fieldManager: 'stand-in' },
    );
    await client().mergePatch(
      '/api/v1/namespaces/ml/pods/p',
      { metadata: { labels: { a: 'b' } } },
      { fieldManager: 'stand-in' },
    );
    expect(
      server.seen.map(s => [s.method, s.url, s.headers['content-type']]),
    ).toEqual([
      [
        'POST',
        '/api/v1/namespaces/ml/pods?fieldManager=stand-in',
        'application/json',
      ],
      [
        'PATCH',
        '/api/v1/namespaces/ml/pods/p?fieldManager=stand-in',
        'application/merge-patch+json',
      ],
    ]);
  });

  it('keeps a path prefix of the server URL', async () => {
    await client(`${server.url}/k8s/clusters/c-1/`).get(configMap);
    expect(server.seen[0].url).toBe(
      '/k8s/clusters/c-1/api/v1/namespaces/ml/configmaps/c',
    );
  });

  it('refuses to build a path to a kind outside the allow-list', async () => {
    await expect(
      client().get({ ...configMap, kind: 'Secret' }),
    ).rejects.toThrow(/Secret \(v1\) is not an allowed kind/);
    expect(server.seen).toEqual([]);
  });

  it('tells a silent server (timeout) from an unreachable one (transient)', async () => {
    server.respond = () => 'hang';
    await expect(
      client().request('PATCH', '/api/v1/namespaces/ml/configmaps/c?x=1', {
        timeoutMs: 200,
      }),
    ).rejects.toMatchObject({
      kind: 'timeout',
      status: 0,
      message:
        'cluster "test" did not answer PATCH /api/v1/namespaces/ml/configmaps/c within 200 ms',
    });
    const closed = await new Promise<number>(resolve => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    await expect(
      client(`https://127.0.0.1:${closed}`).get(configMap),
    ).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(
        /^cluster "test" unreachable: .*ECONNREFUSED/,
      ),
    });
  });
});
