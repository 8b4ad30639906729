import type { LoggerService } from '@backstage/backend-plugin-api';
import { ListWatch, type KubernetesObject } from '@kubernetes/client-node';
import {
  ALLOWED_KINDS,
  apiGroupOf,
  LABEL_MANAGED_BY,
  LABEL_MLOPS_ENTITY,
  MANAGED_BY_VALUE,
  type AllowedKind,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import { resourcePath } from '@mlops-plugins/backstage-plugin-mlops-node';
import type { ClusterClient } from '../Kubernetes/ClusterClient';
import { objectId } from '../Reconciler/objectId';
import { entityLabelValue } from '../Reconciler/ownership';
import type { LiveObject } from './health';
import { RefreshingWatch } from './RefreshingWatch';

const SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`;

interface WatchedKind extends AllowedKind {
  /** Label selector of the watch; KEDA's HPAs do not carry ours. */
  selector?: string;
  /** Not needed for readiness (a cluster may not grant it). */
  optional?: boolean;
}

/** The HPAs KEDA creates for our ScaledObjects: current/desired replicas and metric values. */
const HPA_KIND: WatchedKind = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  version: 'v2',
  plural: 'horizontalpodautoscalers',
  optional: true,
};

const clusterWidePath = (kind: AllowedKind) =>
  resourcePath({
    apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
    plural: kind.plural,
  });

/**
 * One cluster's watch cache: a client-node ListWatch per allow-listed kind, selecting only our
 * objects, indexed by the `mlops/entity` label. Status requests read from here and never reach
 * the API server. A failed watch resumes from its last resourceVersion with backoff, so an
 * API-server restart or a network cut is survived; ListWatch re-lists on 410 Gone.
 */
export class ClusterWatchCache {
  private readonly watches = new Map<string, ListWatch<KubernetesObject>>();
  private readonly listed = new Set<string>();
  private readonly byEntity = new Map<string, Map<string, LiveObject>>();
  private readonly byKey = new Map<string, LiveObject>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Counts list requests, watch (re)starts, errors and 410 Gone expiries, for benchmarks and tests. */
  readonly stats = { lists: 0, starts: 0, errors: 0, expired: 0 };
  /** Failures in a row per kind, for the restart backoff; cleared by a list or an event. */
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly client: ClusterClient,
    private readonly logger: LoggerService,
    private readonly options: { restartDelayMs?: number } = {},
  ) {}

  start(): void {
    for (const kind of ALLOWED_KINDS) {
      this.startKind({ ...kind, selector: SELECTOR });
    }
    this.startKind(HPA_KIND);
  }

  /** True once every kind that exists on the cluster has been listed. */
  isReady(): boolean {
    return (
      this.listed.size > 0 &&
      [...this.watches.keys()].every(
        k => this.listed.has(k) || k === this.idOf(HPA_KIND),
      )
    );
  }

  /**
   * The cached live object, `null` when the kind is listed and the object is absent, or
   * `undefined` when the cache cannot tell (kind not listed yet, or its watch failed and has
   * not seen an event or a list since): then ask the API server.
   */
  lookup(key: {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
  }): LiveObject | null | undefined {
    const id = `${apiGroupOf(key.apiVersion)}/${key.kind}`;
    // While a kind's watch is down it misses writes (ours too): not known, ask the API server.
    if (!this.listed.has(id) || this.attempts.has(id)) return undefined;
    return this.byKey.get(objectId(key)) ?? null;
  }

  /** Every cached object of the entity, or undefined until all kinds have been listed. */
  ownedObjects(entityRef: string): LiveObject[] | undefined {
    if (!this.isReady()) return undefined;
    return this.objectsOf(entityLabelValue(entityRef));
  }

  /** A cached HorizontalPodAutoscaler, if the cluster lets us watch them. */
  hpa(namespace: string, name: string): LiveObject | undefined {
    return this.byKey.get(
      objectId({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace,
        name,
      }),
    );
  }

  private idOf(kind: AllowedKind): string {
    return `${kind.group}/${kind.kind}`;
  }

  objectsOf(entityLabel: string): LiveObject[] {
    return [...(this.byEntity.get(entityLabel)?.values() ?? [])];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(
      [...this.watches.values()].map(w => w.stop().catch(() => {})),
    );
  }

  private index(object: KubernetesObject, present: boolean) {
    const live = object as unknown as LiveObject & {
      metadata: { labels?: Record<string, string> };
    };
    // One identity with the reconciler's: group/kind/namespace/name, whatever version is watched.
    const key = objectId({
      apiVersion: live.apiVersion,
      kind: live.kind,
      namespace: live.metadata.namespace ?? '',
      name: live.metadata.name,
    });
    if (present) this.byKey.set(key, live);
    else this.byKey.delete(key);
    const label = live.metadata.labels?.[LABEL_MLOPS_ENTITY];
    if (!label) return;
    const objects = this.byEntity.get(label) ?? new Map<string, LiveObject>();
    if (present) objects.set(key, live);
    else objects.delete(key);
    if (objects.size === 0) this.byEntity.delete(label);
    else this.byEntity.set(label, objects);
  }

  private startKind(kind: WatchedKind) {
    if (this.stopped) return;
    const id = this.idOf(kind);
    const path = clusterWidePath(kind);
    const apiVersion = kind.group
      ? `${kind.group}/${kind.version}`
      : kind.version;
    const listFn = async () => {
      this.stats.lists++;
      const list = await this.client.listAll(path, kind.selector);
      // List items carry no kind/apiVersion; the index and the health functions need them.
      for (const item of list.items ?? []) {
        item.kind = kind.kind;
        item.apiVersion = apiVersion;
      }
      this.listed.add(id);
      this.attempts.delete(id);
      return list;
    };
    const watch = new ListWatch<KubernetesObject>(
      path,
      new RefreshingWatch(
        () => this.client.watchKubeConfig(),
        () => {
          this.stats.expired++;
          this.logger.info(
            `mlops watch of ${id} on ${this.client.cluster.name} expired (410 Gone); re-listing`,
          );
        },
      ),
      listFn,
      false,
      kind.selector,
    );
    const withKind = (o: KubernetesObject) =>
      ({ ...o, kind: kind.kind, apiVersion } as KubernetesObject);
    const seen = (o: KubernetesObject, present: boolean) => {
      this.attempts.delete(id);
      this.index(withKind(o), present);
    };
    watch.on('add', o => seen(o, true));
    watch.on('update', o => seen(o, true));
    watch.on('delete', o => seen(o, false));
    watch.on('error', (error: any) => this.failed(kind, watch, error));
    this.watches.set(id, watch);
    this.stats.starts++;
    watch.start().catch(error => this.failed(kind, watch, error));
  }

  /**
   * A failed list or watch. The same ListWatch resumes from its last resourceVersion (no
   * re-list after a network blip); if that version is compacted by then, the API server
   * answers 410 Gone and ListWatch re-lists, reporting objects deleted meanwhile.
   */
  private failed(
    kind: WatchedKind,
    watch: ListWatch<KubernetesObject>,
    error: any,
  ) {
    const id = this.idOf(kind);
    if (this.stopped || this.watches.get(id) !== watch) return;
    this.stats.errors++;
    const status = error?.statusCode ?? error?.status ?? error?.code;
    if (status === 404 || error?.kind === 'not-found') {
      // The kind's CRD is not installed on this cluster: look again later, quietly.
      this.watches.delete(id);
      watch.stop().catch(() => {});
      this.schedule(() => this.startKind(kind), 60_000);
      return;
    }
    const attempt = this.attempts.get(id) ?? 0;
    this.attempts.set(id, attempt + 1);
    this.logger.warn(
      `mlops watch of ${id} on ${this.client.cluster.name} failed: ${
        error?.message ?? error
      }; restarting`,
    );
    this.schedule(() => {
      if (this.watches.get(id) !== watch) return;
      this.stats.starts++;
      watch.start().catch(e => this.failed(kind, watch, e));
    }, Math.min(30_000, (this.options.restartDelayMs ?? 500) * 2 ** attempt));
  }

  private schedule(fn: () => void, delayMs: number) {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, delayMs);
    timer.unref?.();
    this.timers.add(timer);
  }
}
