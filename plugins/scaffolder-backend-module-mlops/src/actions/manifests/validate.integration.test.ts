import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { renderTrainingRepo } from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  ADMIN_CONTEXT,
  rawRequest,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import yaml from 'yaml';
import { createManifestsValidateAction } from './validate';
import { runAction } from '../__testUtils__/runAction';

const NAMESPACE = 'it-scaffolder-validate';

describe('mlops:manifests:validate with a cluster (server-side dry-run)', () => {
  const controlPlane = useControlPlane();
  let workspacePath: string;

  beforeAll(async () => {
    const res = await rawRequest(
      controlPlane().adminKubeConfig,
      'POST',
      '/api/v1/namespaces',
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NAMESPACE },
      },
    );
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`creating namespace ${NAMESPACE}: HTTP ${res.status}`);
    }
  });
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'mlops-validate-it-'),
    );
  });
  afterEach(async () => {
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  async function run(
    files: Array<{ path: string; content: string }>,
    validation: { kubeconfig: string; context?: string } = {
      kubeconfig: controlPlane().kubeconfigPath,
      context: ADMIN_CONTEXT,
    },
  ) {
    for (const file of files) {
      await fs.mkdir(path.dirname(path.join(workspacePath, file.path)), {
        recursive: true,
      });
      await fs.writeFile(path.join(workspacePath, file.path), file.content);
    }
    const config = new ConfigReader({
      mlops: { scaffolder: { validation } },
    });
    return runAction(
      createManifestsValidateAction({ config }),
      { path: 'deploy', namespace: NAMESPACE },
      { workspacePath },
    );
  }

  const repo = {
    name: 'it-validate',
    owner: 'ml-platform-team',
    namespace: NAMESPACE,
  };
  it.each<[string, Parameters<typeof renderTrainingRepo>[0]]>([
    ['PyTorchJob', { ...repo, framework: 'pytorch', nodes: 8, gpusPerNode: 8 }],
    [
      'TrainJob',
      { ...repo, framework: 'pytorch', operator: 'trainjob', nodes: 4 },
    ],
    ['RayJob', { ...repo, framework: 'ray', autoscaling: true, maxWorkers: 4 }],
    ['RayCluster', { ...repo, framework: 'ray', mode: 'raycluster' }],
  ])('accepts a rendered %s', async (_kind, spec) => {
    const ctx = await run(renderTrainingRepo(spec));
    expect(ctx.output).toHaveBeenCalledWith('serverDryRun', true);
  });

  it('authenticates as a kubeconfig user whose token comes from an exec plugin', async () => {
    const admin = controlPlane().adminKubeConfig;
    const plugin = path.join(workspacePath, 'credential.js');
    await fs.writeFile(
      plugin,
      `process.stdout.write(${JSON.stringify(
        JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1',
          kind: 'ExecCredential',
          status: { token: admin.getCurrentUser()!.token },
        }),
      )});`,
    );
    const kubeconfig = path.join(workspacePath, 'exec-kubeconfig');
    const cluster = admin.getCurrentCluster()!;
    await fs.writeFile(
      kubeconfig,
      yaml.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'sandbox',
            cluster: {
              server: cluster.server,
              'certificate-authority': cluster.caFile,
            },
          },
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
          { name: 'validate', context: { cluster: 'sandbox', user: 'sso' } },
        ],
        'current-context': 'validate',
      }),
    );
    const files = renderTrainingRepo({
      ...repo,
      name: 'it-validate-exec',
      framework: 'pytorch',
    });
    const ctx = await run(files, { kubeconfig });
    expect(ctx.output).toHaveBeenCalledWith('serverDryRun', true);
  });

  it("reports the cluster's reason for an object its CRD schema refuses", async () => {
    const bad = `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: bad
  namespace: ${NAMESPACE}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: two
      template: {spec: {containers: [{name: pytorch, image: pytorch/pytorch}]}}
`;
    await expect(
      run([{ path: 'deploy/bad.yaml', content: bad }]),
    ).rejects.toThrow(
      /1 object\(s\) under "deploy" refused by the cluster's server-side dry-run:\n {2}- deploy\/bad.yaml#0: PyTorchJob "bad" refused by the cluster \(HTTP \d+\): .*Master.replicas: expected numeric/,
    );
  });
});
