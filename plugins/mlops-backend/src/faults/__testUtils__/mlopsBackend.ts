import os from 'node:os';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ControlPlaneConnection } from '@mlops-plugins/sandbox';
import { freePort } from '@mlops-plugins/test-support';
import request from 'supertest';
import { OWNER } from '../../__testUtils__/owner';
import { mlopsPlugin } from '../../plugin';

/** A 127.0.0.1 port nothing listens on (free a moment ago). */
export const closedPort = freePort;

/** `mlops.clusters[]` config for the sandbox's control plane, as the reconciler's identity. */
export function clusterConfig(
  plane: ControlPlaneConnection,
  options: {
    name: string;
    namespace: string;
    tokenFile: string;
    url?: string;
    prometheusUrl?: string;
  },
) {
  return {
    name: options.name,
    url: options.url ?? plane.server,
    caFile: plane.adminKubeConfig.getCurrentCluster()!.caFile,
    auth: { serviceAccountTokenFile: options.tokenFile },
    namespaces: [
      {
        name: options.namespace,
        owners: [OWNER],
        serviceAccount: 'backstage-mlops',
        // Test repositories live under the OS temp directory.
        sources: [`${os.tmpdir()}/**`],
      },
    ],
    ...(options.prometheusUrl
      ? { prometheus: { url: options.prometheusUrl } }
      : {}),
  };
}

/**
 * The real backend with the real mlops plugin; the catalog holds `entities`. The scheduled
 * reconcile pass runs once during startup, as the first pass after a deploy would. In this
 * process (Backstage's startTestBackend) rather than as a child process with
 * `startBackend` of @mlops-plugins/test-support: the fault tests need the mock catalog and
 * permissions, and start in seconds rather than a minute.
 */
export async function startMlopsBackend(options: {
  entities: Entity[];
  clusters: object[];
}) {
  const backend = await startTestBackend({
    features: [
      mlopsPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      mockServices.rootConfig.factory({
        data: {
          mlops: {
            clusters: options.clusters,
            manifests: { allowedFileRoots: [os.tmpdir()] },
            reconcile: { interval: { minutes: 10 } },
          },
        },
      }),
    ],
  });
  const api = (method: 'get' | 'post', path: string) =>
    request(backend.server)
      [method](`/api/mlops/v1${path}`)
      .set('Authorization', mockCredentials.user.header());
  return {
    stop: () => backend.stop(),
    health: () => api('get', '/health'),
    status: (name: string) =>
      api('get', `/entities/component/default/${name}/status`),
    metrics: (name: string) =>
      api(
        'get',
        `/entities/component/default/${name}/metrics?range=5m&step=15s`,
      ),
    sync: (name: string) =>
      api('post', `/entities/component/default/${name}/sync`).send({}),
  };
}
