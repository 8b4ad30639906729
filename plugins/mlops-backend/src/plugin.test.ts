import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import {
  mlopsClusterSupplierExtensionPoint,
  type MlopsClusterSupplier,
} from '@mlops-plugins/backstage-plugin-mlops-node';
import { mlopsPlugin } from './plugin';

const workload: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'llama3-8b-chat',
    namespace: 'default',
    annotations: {
      'mlops/manifests': './deploy',
      'mlops/namespace': 'ml-serving',
    },
  },
  spec: {
    type: 'model-server',
    owner: 'group:default/ml-platform-team',
    lifecycle: 'production',
  },
};
const plain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'website', namespace: 'default' },
  spec: {
    type: 'website',
    owner: 'group:default/web',
    lifecycle: 'production',
  },
};

/** A backend module that supplies cluster credentials through the extension point. */
const supplierModule = (supplier: MlopsClusterSupplier) =>
  createBackendModule({
    pluginId: 'mlops',
    moduleId: 'test-cluster-supplier',
    register(env) {
      env.registerInit({
        deps: { clusters: mlopsClusterSupplierExtensionPoint },
        async init({ clusters }) {
          clusters.setClusterSupplier(supplier);
        },
      });
    },
  });

async function start(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    config?: object;
    supplier?: MlopsClusterSupplier;
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      mlopsPlugin,
      ...(options.supplier ? [supplierModule(options.supplier)] : []),
      catalogServiceMock.factory({ entities: [workload, plain] }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
    ],
  });
  return server;
}

const user = () => mockCredentials.user.header();

describe('mlopsPlugin', () => {
  it('answers /v1/health without a token and lists the configured clusters', async () => {
    const server = await start({
      config: {
        mlops: {
          clusters: [
            {
              name: 'gpu-east',
              url: 'https://127.0.0.1:6443',
              auth: { serviceAccountTokenFile: '/t' },
              namespaces: [],
            },
            {
              name: 'gpu-west',
              url: 'https://127.0.0.1:6444',
              auth: { kubeconfigContext: 'west' },
              namespaces: [],
            },
          ],
        },
      },
    });
    const response = await request(server).get('/api/mlops/v1/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      clusters: ['gpu-east', 'gpu-west'],
    });
  });

  it('refuses status to an unauthenticated caller', async () => {
    const server = await start();
    const response = await request(server)
      .get('/api/mlops/v1/entities/component/default/llama3-8b-chat/status')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it('serves an empty reconcile record for a workload that was never reconciled', async () => {
    const server = await start();
    const response = await request(server)
      .get('/api/mlops/v1/entities/component/default/llama3-8b-chat/status')
      .set('Authorization', user());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/llama3-8b-chat',
      reconcile: null,
      cacheReady: false,
      objects: [],
    });
  });

  it('answers 404 for an entity without mlops/manifests and for an unknown entity', async () => {
    const server = await start();
    const notOurs = await request(server)
      .get('/api/mlops/v1/entities/component/default/website/status')
      .set('Authorization', user());
    expect(notOurs.status).toBe(404);
    expect(notOurs.body.error.message).toBe(
      'entity component:default/website has no mlops/manifests annotation',
    );
    const missing = await request(server)
      .get('/api/mlops/v1/entities/component/default/nope/status')
      .set('Authorization', user());
    expect(missing.status).toBe(404);
  });

  it('refuses sync without mlops.workload.sync, and a malformed body', async () => {
    const denied = await start({ permission: AuthorizeResult.DENY });
    const forbidden = await request(denied)
      .post('/api/mlops/v1/entities/component/default/llama3-8b-chat/sync')
      .set('Authorization', user())
      .send({});
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toBe(
      'missing permission mlops.workload.sync',
    );

    const server = await start();
    const bad = await request(server)
      .post('/api/mlops/v1/entities/component/default/llama3-8b-chat/sync')
      .set('Authorization', user())
      .send({ confirmPrune: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /confirmPrune: Expected boolean, received string; accepted: \{"confirmPrune": boolean\}/,
    );
  });

  it('records a refusal when no cluster is configured for the workload', async () => {
    const server = await start();
    const response = await request(server)
      .post('/api/mlops/v1/entities/component/default/llama3-8b-chat/sync')
      .set('Authorization', user())
      .send({});
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      entityRef: 'component:default/llama3-8b-chat',
      result: 'refused',
      message:
        'mlops/cluster is required when 0 clusters are configured (none)',
    });
    const status = await request(server)
      .get('/api/mlops/v1/entities/component/default/llama3-8b-chat/status')
      .set('Authorization', user());
    expect(status.body.reconcile.result).toBe('refused');
  });

  it('refuses to start when two clusters share a name', async () => {
    const c = {
      url: 'https://127.0.0.1:1',
      auth: { kubeconfigContext: 'x' },
      namespaces: [],
    };
    await expect(
      start({
        config: {
          mlops: {
            clusters: [
              { name: 'gpu', ...c },
              { name: 'gpu', ...c },
            ],
          },
        },
      }),
    ).rejects.toThrow(
      /mlops\.clusters\[1\]\.name "gpu" is already used by mlops\.clusters\[0\]/,
    );
  });

  describe('cluster supplier extension point', () => {
    const cluster = {
      name: 'gpu',
      url: 'https://127.0.0.1:1',
      auth: { kubeconfigContext: 'x' },
      namespaces: [],
    };
    const suppliedKubeConfig = () => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'gpu', server: 'https://127.0.0.1:2' }],
        users: [{ name: 'module', token: 'from-the-module' }],
        contexts: [{ name: 'gpu', cluster: 'gpu', user: 'module' }],
        currentContext: 'gpu',
      });
      return kc;
    };

    it("asks a module's supplier for credentials once at start-up", async () => {
      const getClusters = jest.fn(async () => [
        { name: 'gpu', kubeConfig: suppliedKubeConfig() },
      ]);
      const server = await start({
        config: { mlops: { clusters: [cluster] } },
        supplier: { getClusters },
      });
      expect(getClusters).toHaveBeenCalledTimes(1);
      const health = await request(server).get('/api/mlops/v1/health');
      expect(health.body.clusters).toEqual(['gpu']);
    });

    it('refuses to start when the supplier names a cluster the config does not have', async () => {
      await expect(
        start({
          config: { mlops: { clusters: [cluster] } },
          supplier: {
            getClusters: async () => [
              { name: 'elsewhere', kubeConfig: suppliedKubeConfig() },
            ],
          },
        }),
      ).rejects.toThrow(
        /names clusters that mlops\.clusters does not configure: elsewhere/,
      );
    });
  });
});
