import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { mlopsPermissions } from '@mlops-plugins/backstage-plugin-mlops-common';
import {
  mlopsClusterSupplierExtensionPoint,
  type MlopsClusterSupplier,
} from '@mlops-plugins/backstage-plugin-mlops-node';
import { readMlopsConfig } from './config';
import { createRouter, READ_ROUTES } from './router';
import { ClusterClient } from './services/Kubernetes/ClusterClient';
import { createReadModel } from './services/ReadModel/createReadModel';
import { createReconciler } from './services/Reconciler/createReconciler';
import { scheduleReconcileTask } from './services/Reconciler/scheduleReconcileTask';
import { ReconcileStore } from './services/Store/ReconcileStore';
import { ClusterWatchCache } from './services/StatusCache/ClusterWatchCache';
import { suppliedCredentials } from './services/Kubernetes/suppliedCredentials';

/**
 * The MLOps backend plugin: reconciles MLOps workloads to their clusters and serves their
 * status under `/api/mlops`.
 *
 * @public
 */
export const mlopsPlugin = createBackendPlugin({
  pluginId: 'mlops',
  register(env) {
    let clusterSupplier: MlopsClusterSupplier | undefined;
    env.registerExtensionPoint(mlopsClusterSupplierExtensionPoint, {
      setClusterSupplier(supplier) {
        if (clusterSupplier) {
          throw new Error('an MLOps cluster supplier is already set');
        }
        clusterSupplier = supplier;
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const config = readMlopsConfig(deps.config);
        deps.logger.info(
          `MLOps clusters configured: ${
            config.clusters.map(c => c.name).join(', ') || 'none'
          }`,
        );
        deps.permissionsRegistry.addPermissions(mlopsPermissions);
        const database = await ReconcileStore.create(deps.database);
        const supplied = await suppliedCredentials(
          clusterSupplier,
          config.clusters.map(c => c.name),
        );
        const clients = new Map(
          config.clusters.map(c => [
            c.name,
            new ClusterClient(c, supplied.get(c.name)),
          ]),
        );
        const caches = new Map(
          [...clients].map(([name, client]) => [
            name,
            new ClusterWatchCache(client, deps.logger),
          ]),
        );
        // One bad cluster never stops the others: each cache retries on its own.
        caches.forEach(cache => cache.start());
        deps.lifecycle.addShutdownHook(async () => {
          await Promise.all([...caches.values()].map(c => c.stop()));
        });
        const readModel = createReadModel({
          config,
          database,
          caches,
          auth: deps.auth,
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          catalog: deps.catalog,
        });
        const store = readModel.writeThrough(database);
        const reconciler = createReconciler({
          config,
          lookup: (cluster, key) => caches.get(cluster)?.lookup(key),
          ownedObjects: (cluster, ref) =>
            caches.get(cluster)?.ownedObjects(ref),
          clients,
          store,
          reader: deps.urlReader,
          logger: deps.logger,
        });
        if (config.clusters.length > 0) {
          await scheduleReconcileTask({
            scheduler: deps.scheduler,
            catalog: deps.catalog,
            auth: deps.auth,
            logger: deps.logger,
            reconciler,
            clusters: config.clusters.map(c => c.name),
            interval: config.reconcile.interval,
            timeout: config.reconcile.timeout,
            concurrency: config.reconcile.concurrency,
          });
        }
        deps.httpRouter.use(
          await createRouter({
            clusters: config.clusters.map(c => c.name),
            callers: readModel.callers,
            access: readModel.access,
            status: readModel.status,
            metrics: readModel.metrics,
            reconciler,
          }),
        );
        // Liveness for load balancers and the smoke test; it reveals only cluster names.
        deps.httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
        // The read routes verify their callers through the read model, which remembers a
        // verified token (ReadModel/Callers.ts says what that saves) and answers anything else
        // with the framework's own 401; the framework's check would verify every request again.
        for (const path of Object.values(READ_ROUTES)) {
          deps.httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
      },
    });
  },
});
