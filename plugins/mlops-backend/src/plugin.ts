import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { mlopsPermissions } from '@mlops-plugins/backstage-plugin-mlops-common';
import { readMlopsConfig } from './config';
import { createRouter } from './router';
import { ClusterClient } from './services/Kubernetes/ClusterClient';
import { createReconciler } from './services/Reconciler/createReconciler';
import { scheduleReconcileTask } from './services/Reconciler/scheduleReconcileTask';
import { ReconcileStore } from './services/Store/ReconcileStore';
import { ClusterWatchCache } from './services/StatusCache/ClusterWatchCache';
import { PrometheusMetrics } from './services/Metrics/PrometheusMetrics';
import { CachedEntityLookup } from './services/RequestCache/CachedEntityLookup';
import { CachedPermissions } from './services/RequestCache/CachedPermissions';
import { StatusReadCache } from './services/RequestCache/StatusReadCache';
import { StatusSnapshot } from './services/RequestCache/StatusSnapshot';
import { EncodedBodies } from './services/RequestCache/EncodedBodies';
import { VerifiedTokens } from './services/RequestCache/VerifiedTokens';
import { VisibleWorkloads } from './services/RequestCache/VisibleWorkloads';

/** How long a revoked read permission or a catalog change may go unnoticed by status reads. */
const AUTH_CACHE_TTL_MS = 5_000;
const READ_ROUTES = [
  '/v1/entities/:kind/:namespace/:name/status',
  '/v1/entities/:kind/:namespace/:name/metrics',
];
/** How long another replica's reconcile record may take to appear in status. */
const STATUS_CACHE_TTL_MS = 2_000;
const CACHE_MAX_ENTRIES = 10_000;
/** Up to this many reconcile records are held whole in memory; above it reads go per entity. */
const STATUS_SNAPSHOT_MAX_RECORDS = 20_000;
/** Each snapshot holds every workload a principal sees (a few fields each). */
const SNAPSHOT_MAX_PRINCIPALS = 200;

/**
 * The MLOps backend plugin: reconciles MLOps workloads to their clusters and serves their
 * status under `/api/mlops`.
 *
 * @public
 */
export const mlopsPlugin = createBackendPlugin({
  pluginId: 'mlops',
  register(env) {
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
        const statusReads = new StatusSnapshot(
          database,
          new StatusReadCache(database, {
            ttlMs: STATUS_CACHE_TTL_MS,
            maxEntries: CACHE_MAX_ENTRIES,
          }),
          {
            ttlMs: STATUS_CACHE_TTL_MS,
            refreshAheadMs: STATUS_CACHE_TTL_MS / 2,
            maxRecords: STATUS_SNAPSHOT_MAX_RECORDS,
            oversizeRecheckMs: 60_000,
          },
        );
        const store = statusReads.writeThrough(database);
        const clients = new Map(
          config.clusters.map(c => [c.name, new ClusterClient(c)]),
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
            interval: config.reconcile.interval,
            timeout: config.reconcile.timeout,
          });
        }
        deps.httpRouter.use(
          await createRouter({
            config,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog: deps.catalog,
            cachedPermissions: new CachedPermissions(deps.permissions, {
              ttlMs: AUTH_CACHE_TTL_MS,
              maxEntries: CACHE_MAX_ENTRIES,
            }),
            cachedCatalog: new CachedEntityLookup(
              deps.catalog,
              { ttlMs: AUTH_CACHE_TTL_MS, maxEntries: CACHE_MAX_ENTRIES },
              new VisibleWorkloads(deps.catalog, {
                ttlMs: AUTH_CACHE_TTL_MS,
                maxPrincipals: SNAPSHOT_MAX_PRINCIPALS,
              }),
            ),
            verifiedTokens: new VerifiedTokens(deps.httpAuth, {
              ttlMs: AUTH_CACHE_TTL_MS,
              maxEntries: CACHE_MAX_ENTRIES,
            }),
            statusBodies: new EncodedBodies(CACHE_MAX_ENTRIES),
            reconciler,
            store: statusReads,
            caches,
            metrics: new Map(
              config.clusters.map(c => [
                c.name,
                new PrometheusMetrics(c.prometheusUrl),
              ]),
            ),
            logger: deps.logger,
          }),
        );
        // Liveness for load balancers and the smoke test; it reveals only cluster names.
        deps.httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
        // The read routes check the caller themselves (VerifiedTokens), answering 401 exactly
        // as the framework would; letting the framework check too would verify twice.
        for (const route of READ_ROUTES) {
          deps.httpRouter.addAuthPolicy({
            path: route,
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});
