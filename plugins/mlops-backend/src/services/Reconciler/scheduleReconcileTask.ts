import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_MLOPS_MANIFESTS } from '@internal/backstage-plugin-mlops-common';
import type { HumanDuration } from '@backstage/types';
import type { Reconciler } from './createReconciler';
import { runWithConcurrency } from './runWithConcurrency';

/**
 * The periodic pass over every MLOps workload, as a global-scope task: with several backend
 * replicas on one database, one replica runs it at a time.
 */
export async function scheduleReconcileTask(deps: {
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  reconciler: Reconciler;
  interval: HumanDuration;
  /** Entities reconciled at once; each entity's objects are applied in order. */
  concurrency?: number;
}) {
  await deps.scheduler.scheduleTask({
    id: 'mlops-reconcile',
    scope: 'global',
    frequency: deps.interval,
    timeout: { minutes: 10 },
    initialDelay: { seconds: 5 },
    fn: async () => {
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
      await runWithConcurrency(items, deps.concurrency ?? 4, async entity => {
        try {
          const status = await deps.reconciler.reconcile(entity);
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
      deps.logger.info(
        `mlops reconcile pass over ${items.length} entities: ${JSON.stringify(
          counts,
        )}`,
      );
    },
  });
}
