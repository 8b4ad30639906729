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
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ClusterConfig, MlopsConfig } from '../../config';
import { normalizeOwnerRef } from '../../config';
import { ClusterClient, KubeRequestError } from '../Kubernetes/ClusterClient';
import { LruMap } from '../../lib/LruMap';
import { ManifestMemo } from '../ManifestSource/ManifestMemo';
import { manifestLocation } from '../ManifestSource/manifestLocation';
import { readEntityManifests } from '../ManifestSource/readEntityManifests';
import { checkEntityPolicy } from '../Policy/checkEntityPolicy';
import { namedReferences, type NamedReference } from '../Policy/references';
import type { InventoryItem, ReconcileStore } from '../Store/ReconcileStore';
import {
  desiredState,
  driftedFields,
  keyString,
  type DesiredObject,
  type ObjectKey,
} from './desiredState';
import { objectId } from './objectId';
import { entitySelector, isOwnedBy } from './ownership';
import { planOwnership } from './ownershipPlan';
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
  /** cluster → object id → the entities that declare it. */
  claims: Map<string, Map<string, string[]>>;
  /** Entities that declare anything. */
  claimants: Set<string>;
}

/** Records of unchanged entities saved per statement. */
const SAVE_BATCH = 100;

/** An entity's checked desired state, kept while its inputs stay the same. */
interface Prepared {
  inputs: string;
  desired: DesiredObject[];
  asUser: string;
  /** Object ids of `desired`, as claimed. */
  ids: string[];
  /** ConfigMaps and PVCs the pods use by name. */
  references: Array<{ from: DesiredObject; ref: NamedReference }>;
  adoptUnowned: boolean;
}

/** Kinds never deleted by prune (data would be lost): left in place and dropped from inventory. */
const NEVER_PRUNED = new Set(['PersistentVolumeClaim']);

/** Entities whose checked desired state is kept between passes (least recently used dropped first). */
const MAX_PREPARED = 10_000;

class Refusal extends Error {}

/** The outcome, naming the other entities that also declare the object, if any. */
function withContest(
  outcome: MlopsObjectOutcome,
  others: string[] | undefined,
): MlopsObjectOutcome {
  return others?.length
    ? {
        ...outcome,
        contestedBy: others,
        message: `also declared by ${others.join(', ')}, which ${
          others.length > 1 ? 'are' : 'is'
        } refused: this entity owns it`,
      }
    : outcome;
}

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

  /**
   * Records, inventories and claims in three queries. With the pass's entity refs, the claims
   * of entities that left the catalog are dropped first.
   */
  async function passSnapshot(entityRefs?: string[]): Promise<PassSnapshot> {
    if (entityRefs) {
      await deps.store.claims.releaseAllExcept(
        new Set(entityRefs.map(r => r.toLowerCase())),
      );
    }
    const [statuses, inventories, claims] = await Promise.all([
      deps.store.listStatuses(),
      deps.store.listInventories(),
      deps.store.claims.list(),
    ]);
    const claimants = new Set<string>();
    for (const ids of claims.values()) {
      for (const refs of ids.values()) refs.forEach(r => claimants.add(r));
    }
    return {
      statuses: new Map(statuses.map(s => [s.entityRef, s])),
      inventories,
      unsaved: [],
      claims,
      claimants,
    };
  }

  /** The live object as the API server has it: the watch cache sees only labelled objects. */
  async function liveObject(
    clusterName: string,
    client: ClusterClient,
    key: ObjectKey,
  ): Promise<any | null> {
    const cached = deps.lookup?.(clusterName, key);
    if (cached) return cached;
    return (await withRetry(() => client.get(key))) ?? null;
  }

  /**
   * A referenced ConfigMap or PVC as far as ownership goes: every object some entity owns
   * carries our label, so the watch cache's "absent" means "not any entity's".
   */
  async function referencedObject(
    clusterName: string,
    client: ClusterClient,
    key: ObjectKey,
  ): Promise<any | null> {
    const cached = deps.lookup?.(clusterName, key);
    if (cached !== undefined) return cached;
    return (await withRetry(() => client.get(key))) ?? null;
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
    entityRef: string,
    entry: Prepared,
    pass: PassSnapshot,
  ): MlopsObjectOutcome[] | undefined {
    const { desired } = entry;
    const inventory = pass.inventories.get(entityRef);
    if (!deps.lookup || !inventory || inventory.length !== desired.length) {
      return undefined;
    }
    const claims = pass.claims.get(clusterName);
    const contested = new Map<string, string[]>();
    for (const id of entry.ids) {
      const claimants = claims?.get(id) ?? [];
      if (!claimants.includes(entityRef)) return undefined; // not declared yet
      const others = claimants.filter(c => c !== entityRef);
      if (others.length > 0) contested.set(id, others);
    }
    for (const { from, ref } of entry.references) {
      const live = deps.lookup(clusterName, {
        ...from.key,
        apiVersion: 'v1',
        kind: ref.kind,
        name: ref.name,
      });
      // Unknown, or some entity's: let the full pass judge it.
      if (live === undefined || (live && !isOwnedBy(live, entityRef))) {
        return undefined;
      }
    }
    const recorded = new Map(inventory.map(i => [keyString(i.key), i.hash]));
    const outcomes: MlopsObjectOutcome[] = [];
    for (const item of desired) {
      if (recorded.get(keyString(item.key)) !== item.hash) return undefined;
      const live = deps.lookup(clusterName, item.key);
      if (!live || driftedFields(item.object, live).length > 0) {
        return undefined;
      }
      outcomes.push(
        withContest(
          { ...item.key, action: 'unchanged' },
          contested.get(objectId(item.key)),
        ),
      );
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
    let entry: Prepared;
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
      let sourceUrl: string;
      try {
        sourceUrl = manifestLocation(entity).sourceUrl;
        read = await readEntityManifests(entity, deps.reader, {
          memo: manifestMemo,
          allowedFileRoots: deps.config.manifests.allowedFileRoots,
        });
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
        sourceUrl,
        owner,
        annotations.namespace,
        annotations.kubernetesId ?? '',
        cluster.name,
      ].join('\0');
      let found = prepared.get(entityRef);
      if (found?.inputs !== inputs) {
        prepared.delete(entityRef);
        const policy = checkEntityPolicy({
          entityRef,
          owner,
          sourceUrl,
          namespace: annotations.namespace,
          cluster,
          manifests: read.manifests,
        });
        if (!policy.allowed) throw new Refusal(policy.reasons.join('\n'));
        const desiredObjects = desiredState(read.manifests, {
          entityRef,
          namespace: annotations.namespace,
          kubernetesId: annotations.kubernetesId,
        });
        found = {
          inputs,
          asUser: `system:serviceaccount:${annotations.namespace}:${policy.namespaceRule.serviceAccount}`,
          desired: desiredObjects,
          ids: desiredObjects.map(d => objectId(d.key)),
          references: desiredObjects.flatMap(from =>
            namedReferences(from.object).map(ref => ({ from, ref })),
          ),
          adoptUnowned: policy.namespaceRule.adoptUnowned,
        };
        prepared.set(entityRef, found);
      }
      entry = found;
      asUser = found.asUser;
      desired = found.desired;
    } catch (error) {
      if (error instanceof Refusal) {
        deps.logger.warn(
          `mlops reconcile refused for ${entityRef}: ${error.message}`,
        );
        // It declares nothing valid, so it claims nothing.
        if (options.pass?.claimants.has(entityRef) ?? true) {
          await deps.store.claims.release(entityRef);
        }
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
      unchangedOutcomes(cluster.name, entityRef, entry, options.pass);
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
      // Ownership before apply: declare the objects, then look at each one live.
      const others = await deps.store.claims.declare(
        entityRef,
        cluster.name,
        entry.ids,
      );
      const live = new Map<string, any | null>();
      for (const item of desired) {
        live.set(
          keyString(item.key),
          await liveObject(cluster.name, client, item.key),
        );
      }
      const references = [];
      for (const { from, ref } of entry.references) {
        const key = {
          ...from.key,
          apiVersion: 'v1',
          kind: ref.kind,
          name: ref.name,
        };
        references.push({
          from,
          ref,
          live: await referencedObject(cluster.name, client, key),
        });
      }
      const ownership = planOwnership({
        entityRef,
        desired,
        live: key => live.get(keyString(key)) ?? null,
        otherClaimants: key => others.get(objectId(key)) ?? [],
        references,
        adoptUnowned: entry.adoptUnowned,
      });
      if (ownership.refusals.length > 0) {
        const message = ownership.refusals.join('\n');
        deps.logger.warn(
          `mlops reconcile refused for ${entityRef}: ${message}`,
        );
        return await finish({
          ...base,
          revision,
          result: 'refused',
          message,
          objects: [],
          driftCount: 0,
        });
      }
      for (const id of ownership.adopted) {
        deps.logger.info(
          `mlops audit: adopting unowned ${id} for ${entityRef} (adoptUnowned)`,
          { audit: 'adopt', entityRef, cluster: cluster.name, object: id },
        );
      }

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
        const current = live.get(keyString(item.key)) ?? undefined;
        const contestedBy = ownership.contested.get(objectId(item.key));
        const drift =
          current && previousItem ? driftedFields(item.object, current) : [];
        if (current && previousItem?.hash === item.hash && drift.length === 0) {
          outcomes.push(
            withContest({ ...item.key, action: 'unchanged' }, contestedBy),
          );
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
        outcomes.push(
          withContest(
            {
              ...item.key,
              action: current ? 'updated' : 'created',
              ...(drift.length ? { drift } : {}),
            },
            contestedBy,
          ),
        );
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
        const leftover = await withRetry(() => client.get(item.key));
        if (!leftover) continue;
        if ((leftover.metadata?.ownerReferences ?? []).length > 0) {
          outcomes.push({
            ...item.key,
            action: 'kept',
            message: 'has ownerReferences; its owner manages it',
          });
          continue;
        }
        if (!isOwnedBy(leftover, entityRef)) {
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
            resourceVersion: leftover.metadata.resourceVersion,
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
