import type {
  AuthService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { MlopsConfig } from '../../config';
import type { ReconcileStore } from '../Store/ReconcileStore';
import type { ClusterWatchCache } from '../StatusCache/ClusterWatchCache';
import { RememberedCallers, type Callers } from './Callers';
import { CatalogEntityAccess, type EntityAccess } from './EntityAccess';
import { PrometheusMetricsReader, type MetricsReader } from './MetricsReader';
import { ReconcileRecords } from './ReconcileRecords';
import { READ_STALENESS_MS } from './staleness';
import { WatchCacheStatusReader, type StatusReader } from './StatusReader';

/** Bounds on memory: entries per cache (tokens, decisions, status bodies). */
const MAX_ENTRIES = 10_000;
/** Up to this many reconcile records are held whole; above it they are read per entity. */
const MAX_RECORDS = 20_000;

/** What the routes read through: one staleness rule (./staleness.ts) for all of it. */
export interface ReadModel {
  /** `reader` verifies the callers of the read routes itself (see Callers.ts). */
  callers: Callers;
  access: EntityAccess;
  status: StatusReader;
  metrics: MetricsReader;
  /** The store the reconciler must write through, so status shows this process's writes at once. */
  writeThrough(store: ReconcileStore): ReconcileStore;
}

export function createReadModel(options: {
  config: MlopsConfig;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  database: ReconcileStore;
  caches: Map<string, ClusterWatchCache>;
}): ReadModel {
  const staleMs = READ_STALENESS_MS;
  const { clusters } = options.config;
  const records = new ReconcileRecords(options.database, {
    staleMs,
    maxRecords: MAX_RECORDS,
    maxEntries: MAX_ENTRIES,
    oversizeRecheckMs: 60_000,
  });
  return {
    callers: new RememberedCallers(options.httpAuth, {
      staleMs,
      maxEntries: MAX_ENTRIES,
    }),
    access: new CatalogEntityAccess({
      permissions: options.permissions,
      catalog: options.catalog,
      auth: options.auth,
      defaultCluster: clusters.length === 1 ? clusters[0].name : undefined,
      staleMs,
      maxEntries: MAX_ENTRIES,
    }),
    status: new WatchCacheStatusReader(records, options.caches, {
      maxBodies: MAX_ENTRIES,
    }),
    metrics: new PrometheusMetricsReader(clusters, options.caches, {
      staleMs,
    }),
    writeThrough: store => records.writeThrough(store),
  };
}
