import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  startTestApiServer,
  writeTestPki,
  type TestApiServer,
  type TestPki,
} from '../__testUtils__/testApiServer';
import { sendKubeRequest } from '../client/sendKubeRequest';
import { clusterKubeConfig } from './clusterKubeConfig';
import { loadKubeConfigFile } from './loadKubeConfig';

let dir: string;
let pki: TestPki;
let server: TestApiServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-node-credentials-'));
  pki = writeTestPki(dir);
  server = await startTestApiServer(pki);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.seen.length = 0;
});

const base64 = (file: string) => fs.readFileSync(file).toString('base64');

/** Writes a kubeconfig with one cluster (trusting the test CA unless told) and one user. */
function kubeconfig(
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = { 'certificate-authority': pki.caFile },
): string {
  const file = path.join(
    dir,
    `kubeconfig-${Math.random().toString(36).slice(2)}`,
  );
  fs.writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: server.url, ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}

async function sentWith(file: string) {
  const res = await sendKubeRequest(loadKubeConfigFile(file), 'GET', '/api');
  expect(res.status).toBe(200);
  return server.seen[server.seen.length - 1];
}

/** A JWT that expires in an hour; client-node's OIDC authenticator sends it unrefreshed. */
function idToken(): string {
  const part = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({
    sub: 'oidc-user',
    exp: Math.floor(Date.now() / 1000) + 3600,
  })}.sig`;
}

describe('KubeConfig credentials of a kubeconfig file', () => {
  it('sends a token over TLS verified against the CA file', async () => {
    const seen = await sentWith(kubeconfig({ token: 'static-token' }));
    expect(seen.headers.authorization).toBe('Bearer static-token');
  });

  it('presents a client certificate from files, with the CA as data', async () => {
    const seen = await sentWith(
      kubeconfig(
        {
          'client-certificate': pki.clientCertFile,
          'client-key': pki.clientKeyFile,
        },
        { 'certificate-authority-data': base64(pki.caFile) },
      ),
    );
    expect(seen.clientCN).toBe('test-user');
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('presents a client certificate from data', async () => {
    const seen = await sentWith(
      kubeconfig({
        'client-certificate-data': base64(pki.clientCertFile),
        'client-key-data': base64(pki.clientKeyFile),
      }),
    );
    expect(seen.clientCN).toBe('test-user');
  });

  it("reads kubectl's tokenFile, relative to the kubeconfig, on every request", async () => {
    fs.writeFileSync(path.join(dir, 'token'), 'first\n');
    const file = kubeconfig({ tokenFile: 'token' });
    const kc = loadKubeConfigFile(file);
    await sendKubeRequest(kc, 'GET', '/api');
    fs.writeFileSync(path.join(dir, 'token'), 'rotated\n');
    await sendKubeRequest(kc, 'GET', '/api');
    expect(server.seen.map(s => s.headers.authorization)).toEqual([
      'Bearer first',
      'Bearer rotated',
    ]);
  });

  it('runs an exec credential plugin and sends the token it prints', async () => {
    const plugin = path.join(dir, 'exec-credential.js');
    fs.writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: 'exec-token-' + process.env.EXEC_SUFFIX },
      }));`,
    );
    const seen = await sentWith(
      kubeconfig({
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [plugin],
          env: [{ name: 'EXEC_SUFFIX', value: 'x1' }],
          interactiveMode: 'Never',
        },
      }),
    );
    expect(seen.headers.authorization).toBe('Bearer exec-token-x1');
  });

  it('reports a failing exec plugin with its message', async () => {
    const plugin = path.join(dir, 'exec-fails.js');
    fs.writeFileSync(
      plugin,
      `process.stderr.write('not logged in'); process.exit(1);`,
    );
    const file = kubeconfig({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [plugin],
      },
    });
    await expect(
      sendKubeRequest(loadKubeConfigFile(file), 'GET', '/api'),
    ).rejects.toThrow(
      'cluster "ctx": no credentials from its kubeconfig: not logged in',
    );
  });

  it("sends an auth-provider user's token (OIDC, not yet expired)", async () => {
    const token = idToken();
    const seen = await sentWith(
      kubeconfig({
        'auth-provider': {
          name: 'oidc',
          config: {
            'id-token': token,
            'client-id': 'kubernetes',
            'idp-issuer-url': 'https://issuer.invalid',
          },
        },
      }),
    );
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('skips verification only when insecure-skip-tls-verify is set', async () => {
    const untrusted = kubeconfig({ token: 't' }, {});
    await expect(
      sendKubeRequest(loadKubeConfigFile(untrusted), 'GET', '/api'),
    ).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(
        /^cluster "ctx" unreachable: .*(self.signed|unable to verify|local issuer)/,
      ),
    });
    const insecure = kubeconfig(
      { token: 't' },
      { 'insecure-skip-tls-verify': true },
    );
    expect((await sentWith(insecure)).headers.authorization).toBe('Bearer t');
  });

  it('uses the given context, and names the contexts when it is missing', async () => {
    const file = kubeconfig({ token: 't' });
    expect(() => loadKubeConfigFile(file, 'other')).toThrow(
      `kubeconfig ${file} has no context "other" naming a cluster; its contexts: ctx`,
    );
  });
});

describe('clusterKubeConfig', () => {
  it('sends the ServiceAccount token file of a configured cluster, re-read per request', async () => {
    const tokenFile = path.join(dir, 'sa-token');
    fs.writeFileSync(tokenFile, 'sa-1');
    const kc = clusterKubeConfig({
      name: 'prod',
      url: server.url,
      caData: base64(pki.caFile),
      auth: { serviceAccountTokenFile: tokenFile },
    });
    await sendKubeRequest(kc, 'GET', '/api');
    fs.writeFileSync(tokenFile, 'sa-2');
    await sendKubeRequest(kc, 'GET', '/api');
    expect(server.seen.map(s => s.headers.authorization)).toEqual([
      'Bearer sa-1',
      'Bearer sa-2',
    ]);
  });

  it('trusts a CA file and honours skipTLSVerify', async () => {
    const withCa = clusterKubeConfig({
      name: 'prod',
      url: server.url,
      caFile: pki.caFile,
      auth: {},
    });
    expect((await sendKubeRequest(withCa, 'GET', '/api')).status).toBe(200);
    const insecure = clusterKubeConfig({
      name: 'prod',
      url: server.url,
      skipTLSVerify: true,
      auth: {},
    });
    expect((await sendKubeRequest(insecure, 'GET', '/api')).status).toBe(200);
  });

  it('takes a context of the default kubeconfig', async () => {
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig({ token: 'from-default' });
    try {
      const kc = clusterKubeConfig({
        name: 'prod',
        url: 'https://ignored.invalid',
        auth: { kubeconfigContext: 'ctx' },
      });
      await sendKubeRequest(kc, 'GET', '/api');
      expect(server.seen[0].headers.authorization).toBe('Bearer from-default');
    } finally {
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    }
  });
});
