import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  allowWorkloadNamespace,
  useControlPlane,
  WORKLOAD_SERVICE_ACCOUNT,
} from '@mlops-plugins/sandbox';
import { stringify } from 'yaml';
import { loadKubeConfigFile } from '../config/loadKubeConfig';
import { KubernetesClient } from './KubernetesClient';

const NS = 'it-mlops-node';
const SERVICE_ACCOUNT = `system:serviceaccount:${NS}:${WORKLOAD_SERVICE_ACCOUNT}`;
const FIELD_MANAGER = 'mlops-node-test';

const configMap = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NS, labels },
  data: { a: '1' },
});
const key = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: NS,
  name,
});

describe('KubernetesClient against a real API server', () => {
  const controlPlane = useControlPlane();
  const admin = () => new KubernetesClient(controlPlane().adminKubeConfig);
  const reconciler = () =>
    new KubernetesClient(controlPlane().reconcilerKubeConfig);

  beforeAll(async () => {
    await allowWorkloadNamespace(controlPlane().adminKubeConfig, NS);
  });

  it('deletes only the version it read: a stale resourceVersion is a conflict', async () => {
    const applied = await admin().apply(
      key('precondition'),
      configMap('precondition'),
      {
        fieldManager: FIELD_MANAGER,
      },
    );
    const stale = applied.metadata.resourceVersion;
    await admin().apply(
      key('precondition'),
      { ...configMap('precondition'), data: { a: '2' } },
      { fieldManager: FIELD_MANAGER },
    );
    await expect(
      admin().delete(key('precondition'), { resourceVersion: stale }),
    ).rejects.toMatchObject({ kind: 'conflict', status: 409 });
    const live = await admin().get(key('precondition'));
    expect(live.data).toEqual({ a: '2' });
    await admin().delete(key('precondition'), {
      resourceVersion: live.metadata.resourceVersion,
    });
    expect(await admin().get(key('precondition'))).toBeUndefined();
    await expect(admin().delete(key('precondition'))).resolves.toBeUndefined();
  });

  it('writes only as the impersonated ServiceAccount, and a dry-run stores nothing', async () => {
    await expect(
      reconciler().apply(key('impersonated'), configMap('impersonated'), {
        fieldManager: FIELD_MANAGER,
      }),
    ).rejects.toMatchObject({ kind: 'forbidden', status: 403 });
    await reconciler().apply(key('impersonated'), configMap('impersonated'), {
      fieldManager: FIELD_MANAGER,
      asUser: SERVICE_ACCOUNT,
      dryRun: true,
    });
    expect(await admin().get(key('impersonated'))).toBeUndefined();
    const created = await reconciler().apply(
      key('impersonated'),
      configMap('impersonated'),
      { fieldManager: FIELD_MANAGER, asUser: SERVICE_ACCOUNT },
    );
    expect(created.metadata.managedFields[0].manager).toBe(FIELD_MANAGER);
  });

  it('lists by label selector, and an unserved API as empty', async () => {
    for (const [name, team] of [
      ['list-a', 'a'],
      ['list-b', 'b'],
    ]) {
      await admin().apply(key(name), configMap(name, { team }), {
        fieldManager: FIELD_MANAGER,
        force: true,
      });
    }
    const items = await admin().listItems(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS },
      'team in (a)',
    );
    expect(items.map(i => i.metadata.name)).toEqual(['list-a']);
    expect(
      await admin().listItems(
        `/apis/not-served.example/v1/namespaces/${NS}/things`,
      ),
    ).toEqual([]);
  });

  it('refuses an unknown field under strict validation', async () => {
    await expect(
      admin().apply(
        key('strict'),
        { ...configMap('strict'), unknownField: true },
        {
          fieldManager: FIELD_MANAGER,
          dryRun: true,
          fieldValidation: 'Strict',
        },
      ),
    ).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/unknownField/),
    });
  });

  it('authenticates a kubeconfig user whose token comes from an exec plugin, over TLS', async () => {
    const adminKc = controlPlane().adminKubeConfig;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-node-exec-'));
    try {
      const plugin = path.join(dir, 'credential.js');
      fs.writeFileSync(
        plugin,
        `process.stdout.write(${JSON.stringify(
          JSON.stringify({
            apiVersion: 'client.authentication.k8s.io/v1',
            kind: 'ExecCredential',
            status: { token: adminKc.getCurrentUser()!.token },
          }),
        )});`,
      );
      const file = path.join(dir, 'kubeconfig');
      const cluster = adminKc.getCurrentCluster()!;
      fs.writeFileSync(
        file,
        stringify({
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
            { name: 'sso', context: { cluster: 'sandbox', user: 'sso' } },
          ],
          'current-context': 'sso',
        }),
      );
      const review = await new KubernetesClient(
        loadKubeConfigFile(file),
      ).create(
        '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'SelfSubjectReview',
        },
        { fieldManager: FIELD_MANAGER },
      );
      expect(review.status.userInfo.username).toBe('admin');
      expect(review.status.userInfo.groups).toContain('system:masters');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
