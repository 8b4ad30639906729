import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ALLOWED_KINDS,
  MLOPS_FIELD_MANAGER,
  type MlopsObjectOutcome,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ClusterClient } from '../Kubernetes/ClusterClient';
import type { DesiredObject } from './desiredState';
import type { InventoryItem } from './inventory';
import { objectId, type ObjectKey } from './objectId';
import { entitySelector, isOwnedBy } from './ownership';
import { pruneVerdict } from './planPass';
import { withRetry } from './retry';

/**
 * Requests one entity's pass has in flight at most. A stage or the live reads go out together,
 * but an entity's author chooses how many objects it declares (up to 500 documents): this
 * keeps one entity from sending hundreds of requests to the API server at once.
 */
export const MAX_REQUESTS_PER_ENTITY = 8;

/** Live state from a watch cache: null = known absent, undefined = ask the API server. */
export type LiveLookup = (key: ObjectKey) => any | null | undefined;

/**
 * The only part of a pass that talks to the API server, for one entity in one cluster: reads
 * live state (from the watch cache when it has it), server-side applies as the namespace's
 * ServiceAccount, and deletes leftovers that are still this entity's. Each write is audited.
 */
export class Applier {
  constructor(
    private readonly deps: {
      client: ClusterClient;
      cluster: { name: string; forceConflicts: boolean };
      lookup?: LiveLookup;
      logger: LoggerService;
      entityRef: string;
      asUser: string;
    },
  ) {}

  /** The live object as the API server serves it under the key's version; null when absent. */
  async live(key: ObjectKey): Promise<any | null> {
    const cached = this.deps.lookup?.(key);
    // The cache holds one version of each kind and only labelled objects.
    if (cached && cached.apiVersion === key.apiVersion) return cached;
    return (await withRetry(() => this.deps.client.get(key))) ?? null;
  }

  /**
   * A referenced ConfigMap or PVC as far as ownership goes: every object some entity owns
   * carries our label, so the watch cache's "absent" means "not any entity's".
   */
  async referenced(key: ObjectKey): Promise<any | null> {
    const cached = this.deps.lookup?.(key);
    if (cached !== undefined) return cached;
    return (await withRetry(() => this.deps.client.get(key))) ?? null;
  }

  async apply(item: DesiredObject): Promise<void> {
    await withRetry(() =>
      this.deps.client.apply(item.key, item.object, {
        fieldManager: MLOPS_FIELD_MANAGER,
        asUser: this.deps.asUser,
        force: this.deps.cluster.forceConflicts,
      }),
    );
    this.audit('apply', 'applied', item.key);
  }

  /** Deletes a leftover if, read again now, it is still this entity's and has no owner. */
  async prune(item: InventoryItem): Promise<MlopsObjectOutcome | undefined> {
    const live = await withRetry(() => this.deps.client.get(item.key));
    const verdict = pruneVerdict(live, o => isOwnedBy(o, this.deps.entityRef));
    if (verdict.action === 'gone') return undefined;
    if (verdict.action === 'kept') {
      return { ...item.key, action: 'kept', message: verdict.message };
    }
    await withRetry(() =>
      this.deps.client.delete(item.key, {
        asUser: this.deps.asUser,
        resourceVersion: verdict.resourceVersion,
      }),
    );
    this.audit('prune', 'pruned', item.key);
    return { ...item.key, action: 'pruned' };
  }

  /** The entity's labelled objects in its namespace, every allowed kind, from the API server. */
  async listOwned(namespace: string): Promise<any[]> {
    const objects: any[] = [];
    for (const kind of ALLOWED_KINDS) {
      const apiVersion = kind.group
        ? `${kind.group}/${kind.version}`
        : kind.version;
      const live = await withRetry(() =>
        this.deps.client.list(
          apiVersion,
          kind.kind,
          namespace,
          entitySelector(this.deps.entityRef),
        ),
      );
      // A LIST's items carry no apiVersion/kind of their own.
      objects.push(...live.map(o => ({ ...o, apiVersion, kind: kind.kind })));
    }
    return objects;
  }

  private audit(audit: 'apply' | 'prune', verb: string, key: ObjectKey) {
    const object = objectId(key);
    this.deps.logger.info(
      `mlops audit: ${verb} ${object} for ${this.deps.entityRef} as ${this.deps.asUser}`,
      {
        audit,
        entityRef: this.deps.entityRef,
        cluster: this.deps.cluster.name,
        object,
        apiVersion: key.apiVersion,
      },
    );
  }
}
