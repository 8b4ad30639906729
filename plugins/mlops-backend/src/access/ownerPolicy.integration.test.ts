import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  allowWorkloadNamespace,
  rawRequest,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { mlopsPlugin } from '../plugin';
import { oboAuthServiceFactory } from './__testUtils__/oboAuth';
import { mlopsOwnerPolicyModule } from './__testUtils__/ownerPolicy';

const NS = 'it-owner-policy';
const OWNER = 'user:default/owner';
const STRANGER = 'user:default/stranger';
const BASE = '/api/mlops/v1/entities/component/default/owned-llm';
const CM = `/api/v1/namespaces/${NS}/configmaps/owned-cm`;

/**
 * mlops.workload.read and .sync as resource permissions on the catalog entity, decided by the
 * real catalog's isEntityOwner rule through the real permission backend: the sample policy of
 * docs/permissions.md.
 */
describe('resource permissions with an isEntityOwner policy (real catalog and permission backends)', () => {
  const controlPlane = useControlPlane();
  let work: string;
  let backend: TestBackend | undefined;
  let server: Server;
  const as = (user: string) => mockCredentials.user.header(user);
  const live = async () =>
    (await rawRequest(controlPlane().adminKubeConfig, 'GET', CM)).status;

  beforeAll(async () => {
    const cp = controlPlane();
    await allowWorkloadNamespace(cp.adminKubeConfig, NS);
    await rawRequest(cp.adminKubeConfig, 'DELETE', CM);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-owner-policy-'));
    const repo = path.join(work, 'repo', 'owned-llm');
    fs.mkdirSync(path.join(repo, 'deploy'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'deploy', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned-cm\ndata:\n  value: "x"\n',
    );
    fs.writeFileSync(
      path.join(repo, 'catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: owned-llm',
        '  annotations:',
        '    mlops/manifests: ./deploy',
        `    mlops/namespace: ${NS}`,
        '    mlops/workload: serving',
        'spec:',
        '  type: model-server',
        '  lifecycle: experimental',
        `  owner: ${OWNER}`,
        '',
      ].join('\n'),
    );
    const tokenFile = path.join(work, 'token');
    fs.writeFileSync(
      tokenFile,
      cp.reconcilerKubeConfig.getCurrentUser()!.token!,
    );
    const cluster = cp.adminKubeConfig.getCurrentCluster()!;
    backend = await startTestBackend({
      features: [
        mlopsPlugin,
        catalogBackend,
        permissionBackend,
        mlopsOwnerPolicyModule,
        permissionsServiceFactory,
        oboAuthServiceFactory,
        // The real token check, over the mock tokens (oboAuthServiceFactory).
        httpAuthServiceFactory,
        // No background pass: only an authorized sync applies.
        mockServices.scheduler.mock().factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(repo, 'catalog-info.yaml') },
              ],
            },
            mlops: {
              clusters: [
                {
                  name: 'sandbox',
                  url: cluster.server,
                  caFile: cluster.caFile,
                  auth: { serviceAccountTokenFile: tokenFile },
                  namespaces: [
                    {
                      name: NS,
                      owners: [OWNER],
                      sources: [`${path.join(work, 'repo')}/*`],
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    // The catalog reads its location in the background.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/owned-llm')
        .set('Authorization', as(OWNER));
      if (res.status === 200 && res.body.relations?.length) break;
      if (Date.now() > deadline) {
        throw new Error(
          `the catalog never served the entity: ${res.status} ${JSON.stringify(
            res.body,
          )}`,
        );
      }
      await new Promise(r => setTimeout(r, 500));
    }
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('lets only the owner sync: a stranger gets 403 and nothing is applied', async () => {
    const denied = await request(server)
      .post(`${BASE}/sync`)
      .set('Authorization', as(STRANGER))
      .send({});
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'missing permission mlops.workload.sync',
    );
    expect(await live()).toBe(404);

    const allowed = await request(server)
      .post(`${BASE}/sync`)
      .set('Authorization', as(OWNER))
      .send({});
    expect(allowed.status).toBe(200);
    expect(allowed.body.result).toBe('synced');
    expect(await live()).toBe(200);
  });

  it('decides reads per entity too: the owner reads status and metrics, a stranger gets 403', async () => {
    for (const route of ['status', 'metrics']) {
      const stranger = await request(server)
        .get(`${BASE}/${route}`)
        .set('Authorization', as(STRANGER));
      expect({ route, status: stranger.status }).toEqual({
        route,
        status: 403,
      });
    }
    const status = await request(server)
      .get(`${BASE}/status`)
      .set('Authorization', as(OWNER));
    expect(status.status).toBe(200);
    expect(status.body.reconcile).toMatchObject({ result: 'synced' });
  });
});
