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
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
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
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  return { server, permissions, catalog };
}

describe('router caching', () => {
  it('decides and reads the catalog once for two status reads of one user, again for another user', async () => {
    const { server, permissions, catalog } = await start();
    const alice = mockCredentials.user.header('user:default/alice');
    for (let i = 0; i < 2; i++) {
      const response = await request(server)
        .get(`${base}/status`)
        .set('Authorization', alice);
      expect(response.status).toBe(200);
    }
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();

    await request(server)
      .get(`${base}/status`)
      .set('Authorization', mockCredentials.user.header('user:default/bob'))
      .expect(200);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
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
    const names = permissions.authorize.mock.calls.map(
      ([[{ permission }]]) => permission.name,
    );
    expect(names).toEqual([
      'mlops.workload.read',
      'mlops.workload.sync',
      'mlops.workload.sync',
    ]);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);

    const after = await request(server)
      .get(`${base}/status`)
      .set('Authorization', alice);
    expect(after.body.reconcile).toMatchObject({ result: 'refused' });
    expect(permissions.authorize).toHaveBeenCalledTimes(3);
  });
});
