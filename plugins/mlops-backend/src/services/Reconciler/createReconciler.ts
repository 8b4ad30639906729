import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ALLOWED_KINDS,
  formatManifestProblem,
  MLOPS_FIELD_MANAGER,
  readMlopsAnnotations,
  type MlopsObjectOutcome,
  type MlopsReconcileStatus,
} from '@internal/backstage-plugin-mlops-common';
import type { ClusterConfig, MlopsConfig } from '../../config';
import { normalizeOwnerRef } from '../../config';
import { ClusterClient, KubeRequestError } from '../Kubernetes/ClusterClient';
import { LruMap } from '../../lib/LruMap';
import { ManifestMemo } from '../ManifestSource/ManifestMemo';
import { readEntityManifests } from '../ManifestSource/readEntityManifests';
import { checkEntityPolicy } from '../Policy/checkEntityPolicy';
import type { InventoryItem, ReconcileStore } from '../Store/ReconcileStore';
import {
  desiredState,
  driftedFields,
  keyString,
  type DesiredObject,
  type ObjectKey,
} from './desiredState';
import { entitySelector, isOwnedBy } from './ownership';
import { withRetry } from './retry';

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

/** Every reconcile record and inventory, read in two queries at the start of a pass. */
export interface PassSnapshot {
  statuses: Map<string, MlopsReconcileStatus>;
  inventories: Map<string, InventoryItem[]>;
  /** Records of unchanged entities, saved in batches; finishPass saves the rest. */
  unsaved: MlopsReconcileStatus[];
}

/** Records of unchanged entities saved per statement. */
const SAVE_BATCH = 100;

/** An entity's checked desired state, kept while its inputs stay the same. */
interface Prepared {
  inputs: string;
  desired: DesiredObject[];
  asUser: string;
}

/** Kinds never deleted by prune (data would be lost): left in place and dropped from inventory. */
const NEVER_PRUNED = new Set(['PersistentVolumeClaim']);

/** Entities whose checked desired state is kept between passes (least recently used dropped first). */
const MAX_PREPARED = 10_000;

class Refusal extends Error {}

function ownerOf(entity: Entity): string | undefined {
  const owner =
    entity.relations?.find(r => r.type === 'ownedBy')?.targetRef ??
    (entity.spec?.owner as string | undefined);
  return owner ? normalizeOwnerRef(owner) : undefined;
}

function pickCluster(
  config: MlopsConfig,
  name: string | undefined,
): ClusterConfig {
  if (name) {
    const cluster = config.clusters.find(c => c.name === name);
    if (!cluster) {
      throw new Refusal(
        `mlops/cluster "${name}" is not configured; configured clusters: ${
          config.clusters.map(c => c.name).join(', ') || 'none'
        }`,
      );
    }
    return cluster;
  }
  if (config.clusters.length !== 1) {
    throw new Refusal(
      `mlops/cluster is required when ${
        config.clusters.length
      } clusters are configured (${
        config.clusters.map(c => c.name).join(', ') || 'none'
      })`,
    );
  }
  return config.clusters[0];
}

/**
 * One reconcile pass per call: read the entity's manifests, enforce the rules, server-side
 * apply what changed or drifted as the namespace's ServiceAccount, then prune what this entity
 * applied before and no longer declares. Records the outcome in the store.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const now = deps.now ?? (() => new Date());
  const manifestMemo = new ManifestMemo();
  const prepared = new LruMap<string, Prepared>(MAX_PREPARED);

  async function passSnapshot(): Promise<PassSnapshot> {
    const [statuses, inventories] = await Promise.all([
      deps.store.listStatuses(),
      deps.store.listInventories(),
    ]);
    return {
      statuses: new Map(statuses.map(s => [s.entityRef, s])),
      inventories,
      unsaved: [],
    };
  }

  /** Saves what the pass has not saved yet; call once its entities are done. */
  async function finishPass(pass: PassSnapshot): Promise<void> {
    const batch = pass.unsaved.splice(0);
    if (batch.length > 0) await deps.store.saveStatuses(batch);
  }

  /**
   * The outcome of a pass that would change nothing, or undefined when anything differs:
   * every desired object recorded with its hash, live in the watch cache without drift, and
   * nothing recorded that is no longer desired.
   */
  function unchangedOutcomes(
    clusterName: string,
    desired: DesiredObject[],
    inventory: InventoryItem[] | undefined,
  ): MlopsObjectOutcome[] | undefined {
    if (!deps.lookup || !inventory || inventory.length !== desired.length) {
      return undefined;
    }
    const recorded = new Map(inventory.map(i => [keyString(i.key), i.hash]));
    const outcomes: MlopsObjectOutcome[] = [];
    for (const item of desired) {
      if (recorded.get(keyString(item.key)) !== item.hash) return undefined;
      const live = deps.lookup(clusterName, item.key);
      if (!live || driftedFields(item.object, live).length > 0) {
        return undefined;
      }
      outcomes.push({ ...item.key, action: 'unchanged' });
    }
    return outcomes;
  }

  async function rebuildInventory(
    client: ClusterClient,
    entityRef: string,
    namespace: string,
  ): Promise<InventoryItem[]> {
    const items: InventoryItem[] = [];
    for (const kind of ALLOWED_KINDS) {
      const apiVersion = kind.group
        ? `${kind.group}/${kind.version}`
        : kind.version;
      const live = await withRetry(() =>
        client.list(
          apiVersion,
          kind.kind,
          namespace,
          entitySelector(entityRef),
        ),
      );
      for (const object of live) {
        if (isOwnedBy(object, entityRef)) {
          items.push({
            key: {
              apiVersion,
              kind: kind.kind,
              namespace,
              name: object.metadata.name,
            },
            hash: '',
          });
        }
      }
    }
    return items;
  }

  async function reconcile(
    entity: Entity,
    options: ReconcileOptions = {},
  ): Promise<MlopsReconcileStatus> {
    const entityRef = stringifyEntityRef(entity).toLowerCase();
    const annotations = readMlopsAnnotations(entity);
    const attemptAt = now().toISOString();
    const previous = options.pass
      ? options.pass.statuses.get(entityRef)
      : await deps.store.getStatus(entityRef);
    const base = {
      entityRef,
      cluster: annotations?.cluster ?? deps.config.clusters[0]?.name ?? '',
      namespace: annotations?.namespace ?? '',
      lastAttemptAt: attemptAt,
      lastSuccessAt: previous?.lastSuccessAt,
    };
    const finish = async (status: MlopsReconcileStatus) => {
      await deps.store.saveStatus(status);
      return status;
    };

    let cluster: ClusterConfig;
    let desired: DesiredObject[];
    let revision: string | undefined;
    let asUser: string;
    try {
      if (!annotations)
        throw new Refusal('entity has no mlops/manifests annotation');
      if (!annotations.namespace)
        throw new Refusal('mlops/namespace is required');
      cluster = pickCluster(deps.config, annotations.cluster);
      base.cluster = cluster.name;
      const owner = ownerOf(entity);
      if (!owner) throw new Refusal('entity has no owner (spec.owner)');
      let read;
      try {
        read = await readEntityManifests(entity, deps.reader, manifestMemo);
      } catch (error) {
        throw new Refusal(
          `manifests could not be read: ${(error as Error).message}`,
        );
      }
      revision = read.revision;
      if (read.problems.length > 0) {
        throw new Refusal(read.problems.map(formatManifestProblem).join('\n'));
      }
      // Everything the checked desired state depends on; the cluster config is fixed at start.
      const inputs = [
        read.revision,
        owner,
        annotations.namespace,
        annotations.kubernetesId ?? '',
        cluster.name,
      ].join('\0');
      let entry = prepared.get(entityRef);
      if (entry?.inputs !== inputs) {
        prepared.delete(entityRef);
        const policy = checkEntityPolicy({
          entityRef,
          owner,
          namespace: annotations.namespace,
          cluster,
          manifests: read.manifests,
        });
        if (!policy.allowed) throw new Refusal(policy.reasons.join('\n'));
        entry = {
          inputs,
          asUser: `system:serviceaccount:${annotations.namespace}:${policy.namespaceRule.serviceAccount}`,
          desired: desiredState(read.manifests, {
            entityRef,
            namespace: annotations.namespace,
            kubernetesId: annotations.kubernetesId,
          }),
        };
        prepared.set(entityRef, entry);
      }
      asUser = entry.asUser;
      desired = entry.desired;
    } catch (error) {
      if (error instanceof Refusal) {
        deps.logger.warn(
          `mlops reconcile refused for ${entityRef}: ${error.message}`,
        );
        return finish({
          ...base,
          revision,
          result: 'refused',
          message: error.message,
          objects: [],
          driftCount: 0,
        });
      }
      throw error;
    }

    const unchanged =
      options.pass &&
      unchangedOutcomes(
        cluster.name,
        desired,
        options.pass.inventories.get(entityRef),
      );
    if (unchanged && options.pass) {
      const status: MlopsReconcileStatus = {
        ...base,
        revision,
        result: 'synced',
        objects: unchanged,
        driftCount: 0,
        lastSuccessAt: attemptAt,
      };
      options.pass.unsaved.push(status);
      if (options.pass.unsaved.length >= SAVE_BATCH) {
        await finishPass(options.pass);
      }
      return status;
    }

    // Anything to write: work from the inventory as it is now, not as the pass began.
    const client = deps.clients.get(cluster.name)!;
    const outcomes: MlopsObjectOutcome[] = [];
    let driftCount = 0;
    try {
      let inventory = await deps.store.getInventory(entityRef);
      if (inventory.length === 0) {
        // A fresh database: the cluster's annotated objects are the inventory.
        const cached = deps.ownedObjects?.(cluster.name, entityRef);
        // Only its own namespace, as rebuildInventory asks the API server.
        inventory = cached
          ? cached
              .filter(
                o =>
                  isOwnedBy(o, entityRef) &&
                  o.metadata.namespace === base.namespace,
              )
              .map(o => ({
                key: {
                  apiVersion: o.apiVersion,
                  kind: o.kind,
                  namespace: o.metadata.namespace,
                  name: o.metadata.name,
                },
                hash: '',
              }))
          : await rebuildInventory(client, entityRef, base.namespace);
      }
      const recorded = new Map(inventory.map(i => [keyString(i.key), i]));

      for (const item of desired) {
        const previousItem = recorded.get(keyString(item.key));
        const cached = deps.lookup?.(cluster.name, item.key);
        const live =
          cached === undefined
            ? await withRetry(() => client.get(item.key))
            : cached ?? undefined;
        const drift =
          live && previousItem ? driftedFields(item.object, live) : [];
        if (live && previousItem?.hash === item.hash && drift.length === 0) {
          outcomes.push({ ...item.key, action: 'unchanged' });
          continue;
        }
        if (drift.length > 0) driftCount++;
        try {
          await withRetry(() =>
            client.apply(item.key, item.object, {
              fieldManager: MLOPS_FIELD_MANAGER,
              asUser,
              force: cluster.forceConflicts,
            }),
          );
        } catch (error) {
          outcomes.push({
            ...item.key,
            action: 'failed',
            message: (error as Error).message,
            ...(drift.length ? { drift } : {}),
          });
          throw error;
        }
        deps.logger.info(
          `mlops audit: applied ${keyString(
            item.key,
          )} for ${entityRef} as ${asUser}`,
          {
            audit: 'apply',
            entityRef,
            cluster: cluster.name,
            object: keyString(item.key),
          },
        );
        outcomes.push({
          ...item.key,
          action: live ? 'updated' : 'created',
          ...(drift.length ? { drift } : {}),
        });
      }

      const desiredKeys = new Set(desired.map(d => keyString(d.key)));
      const leftovers = inventory.filter(
        i => !desiredKeys.has(keyString(i.key)),
      );
      const prunable = leftovers.filter(i => !NEVER_PRUNED.has(i.key.kind));
      for (const kept of leftovers.filter(i => NEVER_PRUNED.has(i.key.kind))) {
        outcomes.push({
          ...kept.key,
          action: 'kept',
          message: `${kept.key.kind} is never pruned automatically`,
        });
      }
      const limit = Math.floor(
        deps.config.reconcile.maxPruneShare * inventory.length,
      );
      if (
        prunable.length > 0 &&
        prunable.length > limit &&
        !options.confirmPrune
      ) {
        const message = `prune of ${prunable.length} of ${
          inventory.length
        } objects exceeds mlops.reconcile.maxPruneShare (${
          deps.config.reconcile.maxPruneShare
        }); sync with confirmation to prune: ${prunable
          .map(p => `${p.key.kind}/${p.key.name}`)
          .join(', ')}`;
        await deps.store.replaceInventory(entityRef, cluster.name, [
          ...desired.map(d => ({ key: d.key, hash: d.hash })),
          ...prunable,
        ]);
        return finish({
          ...base,
          revision,
          result: 'prune-blocked',
          message,
          objects: outcomes,
          driftCount,
        });
      }
      for (const item of prunable) {
        const live = await withRetry(() => client.get(item.key));
        if (!live) continue;
        if ((live.metadata?.ownerReferences ?? []).length > 0) {
          outcomes.push({
            ...item.key,
            action: 'kept',
            message: 'has ownerReferences; its owner manages it',
          });
          continue;
        }
        if (!isOwnedBy(live, entityRef)) {
          outcomes.push({
            ...item.key,
            action: 'kept',
            message: "no longer carries this entity's ownership labels",
          });
          continue;
        }
        await withRetry(() =>
          client.delete(item.key, {
            asUser,
            resourceVersion: live.metadata.resourceVersion,
          }),
        );
        deps.logger.info(
          `mlops audit: pruned ${keyString(
            item.key,
          )} for ${entityRef} as ${asUser}`,
          {
            audit: 'prune',
            entityRef,
            cluster: cluster.name,
            object: keyString(item.key),
          },
        );
        outcomes.push({ ...item.key, action: 'pruned' });
      }
      await deps.store.replaceInventory(
        entityRef,
        cluster.name,
        desired.map(d => ({ key: d.key, hash: d.hash })),
      );
      return finish({
        ...base,
        revision,
        result: 'synced',
        objects: outcomes,
        driftCount,
        lastSuccessAt: attemptAt,
      });
    } catch (error) {
      const kind = error instanceof KubeRequestError ? error.kind : 'transient';
      const message = (error as Error).message;
      deps.logger.warn(
        `mlops reconcile of ${entityRef} failed (${kind}): ${message}`,
      );
      // Whatever was applied before the failure is in the cluster: record it with the hash it
      // was applied with, so the next pass does not apply the same content again.
      const applied = new Set(
        outcomes
          .filter(o => o.action === 'created' || o.action === 'updated')
          .map(o => keyString(o as ObjectKey)),
      );
      const done = desired.filter(d => applied.has(keyString(d.key)));
      if (done.length > 0) {
        const inventory = await deps.store.getInventory(entityRef);
        await deps.store.replaceInventory(entityRef, cluster.name, [
          ...inventory.filter(i => !applied.has(keyString(i.key))),
          ...done.map(d => ({ key: d.key, hash: d.hash })),
        ]);
      }
      return finish({
        ...base,
        revision,
        result: kind === 'conflict' ? 'conflict' : 'failed',
        message,
        objects: outcomes,
        driftCount,
      });
    }
  }

  return { reconcile, passSnapshot, finishPass };
}

export type Reconciler = ReturnType<typeof createReconciler>;
