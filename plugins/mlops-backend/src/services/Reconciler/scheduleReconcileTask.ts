import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_MLOPS_MANIFESTS } from '@mlops-plugins/backstage-plugin-mlops-common';
import type { HumanDuration } from '@backstage/types';
import type { Reconciler } from './createReconciler';
import { runWithConcurrency } from './runWithConcurrency';

/** How long one pass may hold the replicas' lock, unless `mlops.reconcile.timeout` says otherwise. */
export const DEFAULT_RECONCILE_TIMEOUT: HumanDuration = { minutes: 10 };

/**
 * The periodic pass over every MLOps workload, as a global-scope task: with several backend
 * replicas on one database, one replica runs it at a time. The scheduler's lock lapses after
 * `timeout` (a replica killed mid-pass is replaced once its lock lapses and the scheduler's
 * once-a-minute janitor clears it); a pass still running then starts no further entity, so
 * another replica's pass can overlap only the entities already in flight.
 */
export async function scheduleReconcileTask(deps: {
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  reconciler: Reconciler;
  interval: HumanDuration;
  timeout?: HumanDuration;
  /** Entities reconciled at once; each entity's objects are applied in order. */
  concurrency?: number;
}) {
  await deps.scheduler.scheduleTask({
    id: 'mlops-reconcile',
    scope: 'global',
    frequency: deps.interval,
    timeout: deps.timeout ?? DEFAULT_RECONCILE_TIMEOUT,
    initialDelay: { seconds: 5 },
    fn: async signal => {
      const started = Date.now();
      deps.logger.info('mlops reconcile pass started');
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
      const counts: Record<string, number> = {};
      // Records, inventories and claims in a few queries; an unchanged entity needs no more.
      const pass = await deps.reconciler.passSnapshot(
        items.map(e => stringifyEntityRef(e)),
      );
      try {
        await runWithConcurrency(items, deps.concurrency ?? 4, async entity => {
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
        `mlops reconcile pass over ${items.length} entities: ${JSON.stringify(
          counts,
        )} in ${Date.now() - started} ms`,
      );
      if (counts.skipped) {
        deps.logger.warn(
          `mlops reconcile pass stopped early: ${counts.skipped} entities left for the next pass; raise mlops.reconcile.timeout if passes run this long`,
        );
      }
    },
  });
}
