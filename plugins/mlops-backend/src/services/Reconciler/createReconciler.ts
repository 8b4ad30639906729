import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  readMlopsAnnotations,
  type MlopsObjectOutcome,
  type MlopsReconcileStatus,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { MlopsConfig } from '../../config';
import { ClusterClient, KubeRequestError } from '../Kubernetes/ClusterClient';
import type { ReconcileStore } from '../Store/ReconcileStore';
import { Applier, MAX_REQUESTS_PER_ENTITY } from './Applier';
import { applySteps, newProgress, pruneLeftovers } from './carryOut';
import { afterPartialApply, inventoryFromLive } from './inventory';
import { objectId, type ObjectKey } from './objectId';
import { readPassSnapshot, type PassSnapshot } from './passSnapshot';
import { planPass } from './planPass';
import { createEntityPreparer, type PreparedEntity } from './prepareEntity';
import { runWithConcurrency } from './runWithConcurrency';
import { unchangedOutcomes } from './unchangedPass';

export type { PassSnapshot } from './passSnapshot';

/** Live state from a watch cache: null = known absent, undefined = ask the API server. */
export type LiveLookup = (
  cluster: string,
  key: ObjectKey,
) => any | null | undefined;

export interface ReconcilerDeps {
  config: MlopsConfig;
  clients: Map<string, ClusterClient>;
  /** Reads live objects from the watch cache, so a pass without changes sends no request. */
  lookup?: LiveLookup;
  /** The entity's objects from the watch cache (undefined while it is not ready), to rebuild a lost inventory. */
  ownedObjects?: (cluster: string, entityRef: string) => any[] | undefined;
  store: ReconcileStore;
  reader: UrlReaderService;
  logger: LoggerService;
  now?: () => Date;
}

export interface ReconcileOptions {
  /** Allow a prune larger than `mlops.reconcile.maxPruneShare` of the inventory. */
  confirmPrune?: boolean;
  /** Records read once for a whole pass; only a pass that changes nothing relies on them. */
  pass?: PassSnapshot;
}

/** Records of unchanged entities saved per statement. */
const SAVE_BATCH = 100;

type Base = Pick<
  MlopsReconcileStatus,
  | 'entityRef'
  | 'cluster'
  | 'namespace'
  | 'lastAttemptAt'
  | 'lastSuccessAt'
  | 'revision'
>;

/**
 * One reconcile pass per call, in stages: prepare (read the manifests, check the policy),
 * the request-free unchanged check, then claim, read live state, plan (pure: refuse, apply,
 * skip, prune), and carry the plan out through the Applier. Records the outcome in the store.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const now = deps.now ?? (() => new Date());
  const prepare = createEntityPreparer(deps);

  async function finishPass(pass: PassSnapshot): Promise<void> {
    const batch = pass.unsaved.splice(0);
    if (batch.length > 0) await deps.store.saveStatuses(batch);
  }

  async function saved(status: MlopsReconcileStatus) {
    await deps.store.saveStatus(status);
    return status;
  }

  async function refused(
    base: Base,
    message: string,
    options: ReconcileOptions,
  ) {
    deps.logger.warn(
      `mlops reconcile refused for ${base.entityRef}: ${message}`,
    );
    // It declares nothing valid, so it claims nothing.
    if (options.pass?.claimants.has(base.entityRef) ?? true) {
      await deps.store.claims.release(base.entityRef);
    }
    return saved({
      ...base,
      result: 'refused',
      message,
      objects: [],
      driftCount: 0,
    });
  }

  /** Saved with the pass's batch: an unchanged entity costs no query of its own. */
  async function unchanged(
    base: Base,
    objects: MlopsObjectOutcome[],
    pass: PassSnapshot,
  ) {
    const status: MlopsReconcileStatus = {
      ...base,
      result: 'synced',
      objects,
      driftCount: 0,
      lastSuccessAt: base.lastAttemptAt,
    };
    pass.unsaved.push(status);
    if (pass.unsaved.length >= SAVE_BATCH) await finishPass(pass);
    return status;
  }

  /** The inventory as stored, or as the cluster's labelled objects say after a lost database. */
  async function currentInventory(
    entity: PreparedEntity,
    entityRef: string,
    applier: Applier,
  ) {
    const stored = await deps.store.getInventory(entityRef);
    if (stored.length > 0) return stored;
    const live =
      deps.ownedObjects?.(entity.cluster.name, entityRef) ??
      (await applier.listOwned(entity.namespace));
    return inventoryFromLive(live, entityRef, entity.namespace);
  }

  async function write(
    base: Base,
    entity: PreparedEntity,
    options: ReconcileOptions,
  ): Promise<MlopsReconcileStatus> {
    const { entityRef } = base;
    const cluster = entity.cluster.name;
    const lookup = deps.lookup;
    const applier = new Applier({
      client: deps.clients.get(cluster)!,
      cluster: entity.cluster,
      lookup: lookup && (key => lookup(cluster, key)),
      logger: deps.logger,
      entityRef,
      asUser: entity.asUser,
    });
    const progress = newProgress();
    const recorded = (
      result: MlopsReconcileStatus['result'],
      extra: Partial<MlopsReconcileStatus> = {},
    ) =>
      saved({
        ...base,
        result,
        objects: progress.outcomes,
        driftCount: progress.driftCount,
        ...extra,
      });
    try {
      // Ownership before apply: declare the objects, then look at each one live.
      const others = await deps.store.claims.declare(
        entityRef,
        cluster,
        entity.ids,
      );
      // Read together (bounded): each object's live state is independent of the others'.
      const liveObjects = await runWithConcurrency(
        entity.desired,
        MAX_REQUESTS_PER_ENTITY,
        item => applier.live(item.key),
      );
      const live = new Map(
        entity.desired.map((item, i) => [objectId(item.key), liveObjects[i]]),
      );
      const references = [];
      for (const { from, ref } of entity.references) {
        const key = {
          ...from.key,
          apiVersion: 'v1',
          kind: ref.kind,
          name: ref.name,
        };
        references.push({ from, ref, live: await applier.referenced(key) });
      }
      const inventory = await currentInventory(entity, entityRef, applier);
      const plan = planPass({
        entityRef,
        desired: entity.desired,
        live: key => live.get(objectId(key)) ?? null,
        references,
        otherClaimants: key => others.get(objectId(key)) ?? [],
        inventory,
        adoptUnowned: entity.adoptUnowned,
        maxPruneShare: deps.config.reconcile.maxPruneShare,
        confirmPrune: options.confirmPrune ?? false,
      });
      if (plan.refusals.length > 0) {
        const message = plan.refusals.join('\n');
        deps.logger.warn(
          `mlops reconcile refused for ${entityRef}: ${message}`,
        );
        return await saved({
          ...base,
          result: 'refused',
          message,
          objects: [],
          driftCount: 0,
        });
      }
      for (const id of plan.adopted) {
        deps.logger.info(
          `mlops audit: adopting unowned ${id} for ${entityRef} (adoptUnowned)`,
          { audit: 'adopt', entityRef, cluster, object: id },
        );
      }
      await applySteps(plan, applier, progress);
      if (plan.pruneBlocked) {
        await deps.store.replaceInventory(entityRef, cluster, plan.inventory);
        return await recorded('prune-blocked', { message: plan.pruneBlocked });
      }
      await pruneLeftovers(plan, applier, progress);
      await deps.store.replaceInventory(entityRef, cluster, plan.inventory);
      return await recorded('synced', { lastSuccessAt: base.lastAttemptAt });
    } catch (error) {
      const kind = error instanceof KubeRequestError ? error.kind : 'transient';
      const message = (error as Error).message;
      deps.logger.warn(
        `mlops reconcile of ${entityRef} failed (${kind}): ${message}`,
      );
      // What was applied before the failure is in the cluster: record it with its hash, so
      // the next pass does not apply the same content again.
      if (progress.applied.length > 0) {
        const inventory = await deps.store.getInventory(entityRef);
        await deps.store.replaceInventory(
          entityRef,
          cluster,
          afterPartialApply(inventory, progress.applied),
        );
      }
      return recorded(kind === 'conflict' ? 'conflict' : 'failed', { message });
    }
  }

  async function reconcile(
    entity: Entity,
    options: ReconcileOptions = {},
  ): Promise<MlopsReconcileStatus> {
    const entityRef = stringifyEntityRef(entity).toLowerCase();
    const annotations = readMlopsAnnotations(entity);
    const previous = options.pass
      ? options.pass.statuses.get(entityRef)
      : await deps.store.getStatus(entityRef);
    const preparation = await prepare(entity, entityRef);
    const base: Base = {
      entityRef,
      cluster: preparation.ok
        ? preparation.entity.cluster.name
        : preparation.cluster ??
          annotations?.cluster ??
          deps.config.clusters[0]?.name ??
          '',
      namespace: annotations?.namespace ?? '',
      lastAttemptAt: now().toISOString(),
      lastSuccessAt: previous?.lastSuccessAt,
      revision: preparation.ok
        ? preparation.entity.revision
        : preparation.revision,
    };
    if (!preparation.ok) {
      return refused(base, preparation.refusal, options);
    }
    const prepared = preparation.entity;
    const objects =
      options.pass && deps.lookup
        ? unchangedOutcomes({
            entityRef,
            desired: prepared.desired,
            ids: prepared.ids,
            references: prepared.references,
            inventory: options.pass.inventories.get(entityRef),
            claims: options.pass.claims.get(prepared.cluster.name),
            lookup: key => deps.lookup!(prepared.cluster.name, key),
          })
        : undefined;
    if (objects && options.pass) return unchanged(base, objects, options.pass);
    // Anything to write: work from the inventory as it is now, not as the pass began.
    return write(base, prepared, options);
  }

  return {
    reconcile,
    passSnapshot: (entityRefs?: string[]) =>
      readPassSnapshot(deps.store, entityRefs),
    finishPass,
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
