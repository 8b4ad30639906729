import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import yaml from 'yaml';
import { runAction } from '../__testUtils__/runAction';
import { createManifestsValidateAction } from './validate';

const job = `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: resnet
spec:
  pytorchReplicaSpecs: {}
`;

/** Discovery of kubeflow.org/v1, and dry-run applies that need the exec plugin's token. */
function fakeApiServer() {
  const seen: Array<{ method?: string; url?: string; auth?: string }> = [];
  let refuse: string | undefined;
  const server = http.createServer((req, res) => {
    seen.push({
      method: req.method,
      url: req.url,
      auth: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (req.headers.authorization !== 'Bearer from-exec-plugin') {
        res.writeHead(401).end(JSON.stringify({ message: 'Unauthorized' }));
      } else if (req.method === 'GET' && req.url === '/apis/kubeflow.org/v1') {
        res.end(
          JSON.stringify({
            resources: [
              { name: 'pytorchjobs', kind: 'PyTorchJob', namespaced: true },
              {
                name: 'pytorchjobs/status',
                kind: 'PyTorchJob',
                namespaced: true,
              },
            ],
          }),
        );
      } else if (refuse) {
        res.writeHead(422).end(JSON.stringify({ message: refuse }));
      } else {
        res.end('{}');
      }
    });
  });
  return {
    seen,
    refuseWith: (message: string) => (refuse = message),
    listen: () =>
      new Promise<string>(resolve =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('mlops:manifests:validate with an exec-plugin kubeconfig user', () => {
  const api = fakeApiServer();
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    const server = await api.listen();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mlops-dry-run-exec-'));
    const plugin = path.join(dir, 'credential.js');
    await fs.writeFile(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec-plugin' } }));`,
    );
    kubeconfig = path.join(dir, 'kubeconfig');
    await fs.writeFile(
      kubeconfig,
      yaml.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // client-node sends credentials over plain HTTP only when told TLS is skipped.
        clusters: [
          { name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } },
        ],
        users: [
          {
            name: 'sso',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: [plugin],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [
          { name: 'validate', context: { cluster: 'c', user: 'sso' } },
        ],
        'current-context': 'validate',
      }),
    );
    await fs.mkdir(path.join(dir, 'workspace/deploy'), { recursive: true });
    await fs.writeFile(path.join(dir, 'workspace/deploy/job.yaml'), job);
  });
  afterAll(async () => {
    await api.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function run() {
    const config = new ConfigReader({
      mlops: { scaffolder: { validation: { kubeconfig } } },
    });
    return runAction(
      createManifestsValidateAction({ config }),
      { path: 'deploy', namespace: 'ml' },
      { workspacePath: path.join(dir, 'workspace') },
    );
  }

  it("sends the plugin's token with a strict dry-run apply", async () => {
    const ctx = await run();
    expect(ctx.output).toHaveBeenCalledWith('serverDryRun', true);
    expect(api.seen).toEqual([
      {
        method: 'GET',
        url: '/apis/kubeflow.org/v1',
        auth: 'Bearer from-exec-plugin',
      },
      {
        method: 'PATCH',
        url: '/apis/kubeflow.org/v1/namespaces/ml/pytorchjobs/resnet?fieldManager=backstage-mlops&dryRun=All&fieldValidation=Strict',
        auth: 'Bearer from-exec-plugin',
      },
    ]);
  });

  it("reports the cluster's reason for refusing an object", async () => {
    api.refuseWith('spec.pytorchReplicaSpecs: Required value');
    await expect(run()).rejects.toThrow(
      '1 object(s) under "deploy" refused by the cluster\'s server-side dry-run:\n  - deploy/job.yaml#0: PyTorchJob "resnet" refused by the cluster (HTTP 422): spec.pytorchReplicaSpecs: Required value',
    );
  });
});
