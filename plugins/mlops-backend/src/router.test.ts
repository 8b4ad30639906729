import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { mlopsPlugin } from './plugin';
import { createRouter, READ_ROUTES } from './router';

const workload: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'llama3-8b-chat',
    namespace: 'default',
    annotations: { 'mlops/manifests': './deploy' },
  },
  spec: { type: 'model-server', owner: 'group:default/ml', lifecycle: 'x' },
};
const base = '/api/mlops/v1/entities/component/default/llama3-8b-chat';

async function start() {
  // The test backend's own httpAuth, counted: one call is one token check.
  const realHttpAuth = mockServices.httpAuth({
    defaultCredentials: mockCredentials.none(),
  });
  const httpAuth = mockServices.httpAuth.mock({
    credentials: jest.fn((req, options) =>
      realHttpAuth.credentials(req, options),
    ) as any,
  });
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  });
  const catalog = catalogServiceMock.mock({
    getEntities: async () => ({ items: [workload] }),
    getEntityByRef: async () => workload,
  });
  const { server } = await startTestBackend({
    features: [
      mlopsPlugin,
      permissions.factory,
      catalog.factory,
      httpAuth.factory,
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return { server, permissions, catalog, httpAuth };
}

describe('router caching', () => {
  it('decides once per user for repeated status reads, and lists the workloads once for every user', async () => {
    const { server, permissions, catalog } = await start();
    const alice = mockCredentials.user.header('user:default/alice');
    for (let i = 0; i < 2; i++) {
      const response = await request(server)
        .get(`${base}/status`)
        .set('Authorization', alice);
      expect(response.status).toBe(200);
    }
    // Reads ask the policy once per user; an ALLOW holds for every entity.
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).not.toHaveBeenCalled();
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();

    await request(server)
      .get(`${base}/status`)
      .set('Authorization', mockCredentials.user.header('user:default/bob'))
      .expect(200);
    // Another user is decided for on its own; the catalog shows both the same workloads.
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
  });

  it('asks afresh on every sync, and status shows the sync at once', async () => {
    const { server, permissions, catalog } = await start();
    const alice = mockCredentials.user.header('user:default/alice');
    const before = await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice);
    expect(before.body.reconcile).toBeNull();
    for (let i = 0; i < 2; i++) {
      await request(server)
        .post(`${base}/sync`)
        .set('Authorization', alice)
        .send({})
        .expect(200);
    }
    // Sync decides on this entity every time: a resource permission with its ref.
    expect(
      permissions.authorize.mock.calls.map(([requests]) => requests),
    ).toEqual([
      [
        {
          permission: expect.objectContaining({ name: 'mlops.workload.sync' }),
          resourceRef: 'component:default/llama3-8b-chat',
        },
      ],
      [
        {
          permission: expect.objectContaining({ name: 'mlops.workload.sync' }),
          resourceRef: 'component:default/llama3-8b-chat',
        },
      ],
    ]);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);

    const after = await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice);
    expect(after.body.reconcile).toMatchObject({ result: 'refused' });
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
  });
});

describe('status responses', () => {
  it('verifies a token once for repeated status reads, on every sync, and never keeps a failure', async () => {
    const { server, httpAuth } = await start();
    const alice = mockCredentials.user.header('user:default/alice');
    for (let i = 0; i < 3; i++) {
      await request(server)
        .get(`${base}/status`)
        .set('Authorization', alice)
        .expect(200);
    }
    // Status is past the framework's check, so this is the route's own, once per token.
    expect(httpAuth.credentials).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 2; i++) {
      await request(server)
        .post(`${base}/sync`)
        .set('Authorization', alice)
        .send({})
        .expect(200);
    }
    // Sync stays behind the framework's check: it and the route each ask, every time.
    expect(httpAuth.credentials).toHaveBeenCalledTimes(5);
    for (let i = 0; i < 2; i++) {
      await request(server)
        .get(`${base}/status`)
        .set('Authorization', 'Bearer not-a-token')
        .expect(401);
    }
    expect(httpAuth.credentials).toHaveBeenCalledTimes(7);
    await request(server).get(`${base}/status`).expect(401);
    await request(server).get(`${base}/metrics`).expect(401);
  });

  it('answers 401 before it looks at parameters, and 400 only to a caller it knows', async () => {
    const { server } = await start();
    const bad = '/api/mlops/v1/entities/comp%24onent/default/x';
    const statuses = [];
    for (const call of [
      request(server).get(`${bad}/status`),
      request(server).get(`${bad}/metrics`),
      request(server).get(`${base}/metrics?range=forever`),
      request(server).post(`${bad}/sync`).send({ confirmPrune: 'yes' }),
    ]) {
      statuses.push((await call).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401]);
    const alice = mockCredentials.user.header('user:default/alice');
    await request(server)
      .get(`${bad}/status`)
      .set('Authorization', alice)
      .expect(400);
    await request(server)
      .get(`${base}/metrics?range=forever`)
      .set('Authorization', alice)
      .expect(400);
  });

  it('sends gzip with an ETag, answers 304 while unchanged and a new body after a change', async () => {
    const { server } = await start();
    const alice = mockCredentials.user.header('user:default/alice');
    const first = await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice)
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.body).toMatchObject({
      entityRef: 'component:default/llama3-8b-chat',
      reconcile: null,
    });
    const plain = await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice)
      .set('Accept-Encoding', 'identity')
      .expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(first.body);
    expect(plain.headers.etag).toBe(first.headers.etag);

    await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice)
      .set('If-None-Match', first.headers.etag)
      .expect(304);
    await request(server)
      .post(`${base}/sync`)
      .set('Authorization', alice)
      .send({})
      .expect(200);
    const changed = await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice)
      .set('If-None-Match', first.headers.etag)
      .expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.body.reconcile).toMatchObject({ result: 'refused' });
  });
});

describe('read routes', () => {
  it('names every GET route but health in READ_ROUTES, the list the plugin lets past the framework’s token check', async () => {
    const unused = {} as any;
    const router = await createRouter({
      clusters: [],
      callers: unused,
      access: unused,
      status: unused,
      metrics: unused,
      reconciler: unused,
    });
    const gets = (router as any).stack
      .filter((layer: any) => layer.route?.methods?.get)
      .map((layer: any) => layer.route.path)
      .filter((path: string) => path !== '/v1/health');
    expect(gets.sort()).toEqual(Object.values(READ_ROUTES).sort());
  });
});
