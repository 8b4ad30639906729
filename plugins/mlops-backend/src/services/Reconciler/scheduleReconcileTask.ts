import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_MLOPS_MANIFESTS,
  readMlopsAnnotations,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { HumanDuration } from '@backstage/types';
import type { Reconciler } from './createReconciler';
import { runWithConcurrency } from './runWithConcurrency';

/** How long one pass may hold the replicas' lock, unless `mlops.reconcile.timeout` says otherwise. */
export const DEFAULT_RECONCILE_TIMEOUT: HumanDuration = { minutes: 10 };

/** The scheduler task id of one cluster's pass. */
export const reconcileTaskId = (cluster: string) =>
  `mlops-reconcile:${cluster}`;

/**
 * The cluster whose pass reconciles an entity: the one it names, the only one configured, or,
 * for a name that no cluster has (refused by the pass), the first cluster, so it is still
 * recorded as refused.
 */
export function passClusterOf(entity: Entity, clusters: string[]): string {
  const named = readMlopsAnnotations(entity)?.cluster;
  return named && clusters.includes(named) ? named : clusters[0];
}

/**
 * The periodic pass over every MLOps workload, as one global-scope task per cluster: with
 * several backend replicas on one database, one replica at a time runs each cluster's pass,
 * and different replicas can run different clusters' passes at once. The scheduler's lock
 * lapses after `timeout` (a replica killed mid-pass is replaced once its lock lapses and the
 * scheduler's once-a-minute janitor clears it); a pass still running then starts no further
 * entity, so another replica's pass can overlap only the entities already in flight.
 */
export async function scheduleReconcileTask(deps: {
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  reconciler: Reconciler;
  /** Configured cluster names; one task each. */
  clusters: string[];
  interval: HumanDuration;
  timeout?: HumanDuration;
  /** Entities reconciled at once; each entity's objects are applied in order. */
  concurrency?: number;
}) {
  for (const cluster of deps.clusters) {
    await deps.scheduler.scheduleTask({
      id: reconcileTaskId(cluster),
      scope: 'global',
      frequency: deps.interval,
      timeout: deps.timeout ?? DEFAULT_RECONCILE_TIMEOUT,
      initialDelay: { seconds: 5 },
      fn: signal => reconcileCluster(deps, cluster, signal),
    });
  }
}

async function reconcileCluster(
  deps: Parameters<typeof scheduleReconcileTask>[0],
  cluster: string,
  signal?: AbortSignal,
) {
  const started = Date.now();
  deps.logger.info(`mlops reconcile pass started (cluster ${cluster})`);
  const credentials = await deps.auth.getOwnServiceCredentials();
  const { items } = await deps.catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${ANNOTATION_MLOPS_MANIFESTS}`]:
          CATALOG_FILTER_EXISTS,
      },
    },
    { credentials },
  );
  const mine = items.filter(e => passClusterOf(e, deps.clusters) === cluster);
  const counts: Record<string, number> = {};
  // Records, inventories and claims in a few queries; an unchanged entity needs no more. The
  // whole catalog's refs, so only claims of entities that left the catalog are dropped.
  const pass = await deps.reconciler.passSnapshot(
    items.map(e => stringifyEntityRef(e)),
  );
  try {
    await runWithConcurrency(mine, deps.concurrency ?? 4, async entity => {
      // Timed out or lost the lock: another replica may take the rest.
      if (signal?.aborted) {
        counts.skipped = (counts.skipped ?? 0) + 1;
        return;
      }
      try {
        const status = await deps.reconciler.reconcile(entity, { pass });
        counts[status.result] = (counts[status.result] ?? 0) + 1;
      } catch (error) {
        counts.error = (counts.error ?? 0) + 1;
        deps.logger.error(
          `mlops reconcile of ${entity.metadata.name} threw: ${
            (error as Error).message
          }`,
        );
      }
    });
  } finally {
    await deps.reconciler.finishPass(pass);
  }
  deps.logger.info(
    `mlops reconcile pass over ${mine.length} entities: ${JSON.stringify(
      counts,
    )} in ${Date.now() - started} ms (cluster ${cluster})`,
  );
  if (counts.skipped) {
    deps.logger.warn(
      `mlops reconcile pass stopped early: ${counts.skipped} entities left for the next pass; raise mlops.reconcile.timeout if passes run this long`,
    );
  }
}
