import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { renderTrainingRepo } from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  ADMIN_CONTEXT,
  rawRequest,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import { createManifestsValidateAction } from './validate';

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

  async function run(files: Array<{ path: string; content: string }>) {
    for (const file of files) {
      await fs.mkdir(path.dirname(path.join(workspacePath, file.path)), {
        recursive: true,
      });
      await fs.writeFile(path.join(workspacePath, file.path), file.content);
    }
    const config = new ConfigReader({
      mlops: {
        scaffolder: {
          validation: {
            kubeconfig: controlPlane().kubeconfigPath,
            context: ADMIN_CONTEXT,
          },
        },
      },
    });
    const ctx = createMockActionContext({
      input: { path: 'deploy', namespace: NAMESPACE },
      workspacePath,
    });
    await createManifestsValidateAction({ config }).handler(ctx as any);
    return ctx;
  }

  it.each([
    ['PyTorchJob', { framework: 'pytorch', nodes: 8, gpusPerNode: 8 }],
    ['TrainJob', { framework: 'pytorch', operator: 'trainjob', nodes: 4 }],
    ['RayJob', { framework: 'ray', autoscaling: true, maxWorkers: 4 }],
    ['RayCluster', { framework: 'ray', mode: 'raycluster' }],
  ])('accepts a rendered %s', async (_kind, spec) => {
    const files = renderTrainingRepo({
      name: 'it-validate',
      owner: 'ml-platform-team',
      namespace: NAMESPACE,
      ...spec,
    } as any);
    const ctx = await run(files);
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
