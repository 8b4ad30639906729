import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  allowWorkloadNamespace,
  rawRequest,
  useControlPlane,
} from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import permissionBackend from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { mlopsPlugin } from '../plugin';
import { oboAuthServiceFactory } from './__testUtils__/oboAuth';
import { denySyncPolicyModule } from './__testUtils__/denySyncPolicy';
import {
  startPrometheusWithDecoy,
  type PrometheusWithDecoy,
} from './__testUtils__/prometheusWithDecoy';

const NS = 'it-access';
const OWNER = 'group:default/ml-platform-team';
const READER = 'user:default/reader';
const OPERATOR = 'user:default/operator';
const SECRET_VALUE = 'access-test-secret-value-4f1c9e';
const BASE = '/api/mlops/v1/entities/component/default/llm';
const CM = `/api/v1/namespaces/${NS}/configmaps/access-cm`;

describe('mlops API access with the real permission framework', () => {
  const controlPlane = useControlPlane();
  let work: string;
  let server: Server;
  let backend: TestBackend | undefined;
  let prometheus: PrometheusWithDecoy;
  /** Strings that must never appear in any response body. */
  let credentials: string[];

  const as = (user: string) => mockCredentials.user.header(user);
  const liveStatus = async (url: string) =>
    (await rawRequest(controlPlane().adminKubeConfig, 'GET', url)).status;

  beforeAll(async () => {
    const cp = controlPlane();
    await allowWorkloadNamespace(cp.adminKubeConfig, NS);
    const secret = await rawRequest(
      cp.adminKubeConfig,
      'POST',
      `/api/v1/namespaces/${NS}/secrets`,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'model-creds' },
        stringData: { password: SECRET_VALUE },
      },
    );
    if (secret.status !== 201 && secret.status !== 409) {
      throw new Error(`creating the Secret answered ${secret.status}`);
    }
    // A control plane shared with an earlier run may still hold what its allowed sync applied.
    await rawRequest(cp.adminKubeConfig, 'DELETE', CM);

    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-access-'));
    const deploy = path.join(work, 'repo', 'llm', 'deploy');
    fs.mkdirSync(deploy, { recursive: true });
    fs.writeFileSync(
      path.join(deploy, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: access-cm\ndata:\n  value: "x"\n',
    );
    const saToken = cp.reconcilerKubeConfig.getCurrentUser()!.token!;
    const tokenFile = path.join(work, 'token');
    fs.writeFileSync(tokenFile, saToken);
    const cluster = cp.adminKubeConfig.getCurrentCluster()!;
    const caLines = fs
      .readFileSync(cluster.caFile!, 'utf8')
      .split('\n')
      .filter(l => l.length > 40);
    credentials = [
      saToken,
      caLines[Math.floor(caLines.length / 2)],
      SECRET_VALUE,
      Buffer.from(SECRET_VALUE).toString('base64'),
      'BEGIN CERTIFICATE',
      'PRIVATE KEY',
    ];
    prometheus = await startPrometheusWithDecoy(work);

    const workload: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'llm',
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            work,
            'repo',
            'llm',
            'catalog-info.yaml',
          )}`,
          'mlops/manifests': './deploy',
          'mlops/namespace': NS,
          'mlops/workload': 'serving',
        },
      },
      spec: { type: 'model-server', owner: OWNER, lifecycle: 'experimental' },
    };
    backend = await startTestBackend({
      features: [
        mlopsPlugin,
        permissionBackend,
        denySyncPolicyModule([READER]),
        permissionsServiceFactory,
        oboAuthServiceFactory,
        catalogServiceMock.factory({ entities: [workload] }),
        // Real token checks: a request without a valid token has no credentials.
        // The real token check, over the mock tokens (oboAuthServiceFactory).
        httpAuthServiceFactory,
        // No background pass: only an authorized sync may apply.
        mockServices.scheduler.mock().factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            mlops: {
              clusters: [
                {
                  name: 'sandbox',
                  url: cluster.server,
                  caFile: cluster.caFile,
                  auth: { serviceAccountTokenFile: tokenFile },
                  prometheus: { url: prometheus.url },
                  namespaces: [
                    {
                      name: NS,
                      owners: [OWNER],
                      sources: [`${path.join(work, 'repo')}/*`],
                    },
                  ],
                },
              ],
              manifests: { allowedFileRoots: [work] },
            },
          },
        }),
      ],
    });
    server = backend.server;
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await prometheus?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('answers 401 to status, metrics and sync without a token or with an invalid one, and applies nothing', async () => {
    const bad = [
      undefined,
      'Bearer not-a-token',
      // An unsigned JWT naming an allowed user.
      `Bearer eyJhbGciOiJub25lIn0.${Buffer.from(
        JSON.stringify({ sub: OPERATOR }),
      ).toString('base64url')}.`,
      mockCredentials.user.invalidHeader(),
      'Basic b3BlcmF0b3I6cGFzc3dvcmQ=',
    ];
    for (const header of bad) {
      const calls = [
        request(server).get(`${BASE}/status`),
        request(server).get(`${BASE}/metrics`),
        request(server).post(`${BASE}/sync`).send({}),
      ];
      for (const call of calls) {
        const response = await (header
          ? call.set('Authorization', header)
          : call);
        expect({ header, status: response.status }).toEqual({
          header,
          status: 401,
        });
      }
    }
    expect(await liveStatus(CM)).toBe(404);
  });

  it('answers 403 to sync for a user without mlops.workload.sync and applies nothing; syncs for one with it', async () => {
    const read = await request(server)
      .get(`${BASE}/status`)
      .set('Authorization', as(READER));
    expect({ status: read.status, body: read.body }).toMatchObject({
      status: 200,
    });

    const denied = await request(server)
      .post(`${BASE}/sync`)
      .set('Authorization', as(READER))
      .send({ confirmPrune: true });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'missing permission mlops.workload.sync',
    );
    expect(await liveStatus(CM)).toBe(404);
    const after = await request(server)
      .get(`${BASE}/status`)
      .set('Authorization', as(READER));
    expect(after.body.reconcile).toBeNull();

    const allowed = await request(server)
      .post(`${BASE}/sync`)
      .set('Authorization', as(OPERATOR))
      .send({});
    expect(allowed.status).toBe(200);
    expect(allowed.body.result).toBe('synced');
    expect(await liveStatus(CM)).toBe(200);
  });

  it('never returns a Secret or a cluster credential in any body', async () => {
    // Wait for the watch cache, so status carries live objects, not an empty list.
    let status: request.Response | undefined;
    for (let i = 0; i < 60; i++) {
      status = await request(server)
        .get(`${BASE}/status`)
        .set('Authorization', as(OPERATOR));
      if (status.body.cacheReady && status.body.objects.length > 0) break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(status!.body.objects.map((o: any) => o.kind)).toEqual(['ConfigMap']);
    const bodies = [
      status!,
      await request(server).get('/api/mlops/v1/health'),
      await request(server)
        .get(`${BASE}/metrics`)
        .set('Authorization', as(OPERATOR)),
      await request(server)
        .post(`${BASE}/sync`)
        .set('Authorization', as(OPERATOR))
        .send({}),
      await request(server)
        .post(`${BASE}/sync`)
        .set('Authorization', as(READER))
        .send({}),
      await request(server).get(`${BASE}/status`),
      await request(server)
        .get('/api/mlops/v1/entities/component/default/missing/status')
        .set('Authorization', as(OPERATOR)),
    ].map(r => r.text);
    for (const body of bodies) {
      for (const credential of credentials) {
        expect(body).not.toContain(credential);
      }
      expect(body).not.toMatch(/"kind":"Secret"|model-creds/);
    }
  });

  it('queries only the configured Prometheus, whatever URL or header the caller sends', async () => {
    for (const param of ['prometheusUrl', 'url', 'prometheus.url', 'server']) {
      const response = await request(server)
        .get(`${BASE}/metrics`)
        .query({ [param]: prometheus.decoyUrl })
        .set('Authorization', as(OPERATOR));
      expect({ param, status: response.status }).toEqual({
        param,
        status: 400,
      });
    }
    const decoyHost = new URL(prometheus.decoyUrl).host;
    const response = await request(server)
      .get(`${BASE}/metrics?range=10m&step=20s`)
      .set('Authorization', as(OPERATOR))
      .set('X-Prometheus-Url', prometheus.decoyUrl)
      .set('X-Forwarded-Host', decoyHost)
      .set('Forwarded', `host=${decoyHost}`)
      .set('Referer', prometheus.decoyUrl);
    expect(response.status).toBe(200);
    expect(response.body.available).toBe(true);
    expect(JSON.stringify(response.body)).not.toContain(prometheus.url);
    expect(prometheus.decoyHits).toEqual([]);
    // The configured Prometheus did answer the range query (its own request counter).
    const own = await fetch(`${prometheus.url}/metrics`).then(r => r.text());
    const served = own
      .split('\n')
      .filter(l =>
        l.startsWith(
          'prometheus_http_requests_total{code="200",handler="/api/v1/query_range"}',
        ),
      )
      .map(l => Number(l.split(' ').pop()));
    expect(served[0]).toBeGreaterThan(0);
  });
});
