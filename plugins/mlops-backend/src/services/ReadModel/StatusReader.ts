import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { MlopsReconcileStatus } from '@mlops-plugins/backstage-plugin-mlops-common';
import { LruMap } from '../../lib/LruMap';
import type { ClusterWatchCache } from '../StatusCache/ClusterWatchCache';
import { entityStatus } from '../StatusCache/entityStatus';
import {
  CLOCK_DEPENDENT_KINDS,
  statusVersion,
} from '../StatusCache/statusVersion';
import type { Workload } from './EntityAccess';

/** A response body serialized and compressed once, for every viewer until it changes. */
export interface EncodedBody {
  json: Buffer;
  gzip: Buffer;
  /** A weak validator of the JSON, for If-None-Match. */
  etag: string;
}

/** The status body of a workload: its reconcile record and its live objects. */
export interface StatusReader {
  read(workload: Workload): Promise<EncodedBody>;
}

function encode(body: unknown): EncodedBody {
  const json = Buffer.from(JSON.stringify(body));
  return {
    json,
    gzip: zlib.gzipSync(json),
    etag: `W/"${crypto
      .createHash('sha1')
      .update(json)
      .digest('base64url')
      .slice(0, 27)}"`,
  };
}

/**
 * Status from the watch caches (live objects, never a LIST per request) and the reconcile
 * records. A body is serialized and gzipped once per version of what it is made from (the
 * objects' resourceVersions, their HPAs, the record and, for kinds whose duration counts up, the
 * current second); later viewers get the same bytes.
 */
export class WatchCacheStatusReader implements StatusReader {
  private readonly bodies: LruMap<
    string,
    { version: string; body: EncodedBody }
  >;

  constructor(
    private readonly records: {
      get(entityRef: string): Promise<MlopsReconcileStatus | undefined>;
    },
    private readonly caches: Map<string, ClusterWatchCache>,
    options: { maxBodies: number },
  ) {
    this.bodies = new LruMap(options.maxBodies);
  }

  async read(workload: Workload): Promise<EncodedBody> {
    const { ref } = workload;
    const reconcile = (await this.records.get(ref)) ?? null;
    const cache = workload.cluster
      ? this.caches.get(workload.cluster)
      : undefined;
    const objects = cache?.objectsOf(workload.entityLabel) ?? [];
    const cacheReady = cache?.isReady() ?? false;
    const hpaOf = (namespace: string, name: string) =>
      cache?.hpa(namespace, name);
    // Durations are whole seconds: a clock-dependent body is reused within its second.
    const clocked = objects.some(o => CLOCK_DEPENDENT_KINDS.has(o.kind));
    const now = clocked ? Math.floor(Date.now() / 1000) * 1000 : Date.now();
    const version = statusVersion({
      reconcile,
      objects,
      cacheReady,
      second: clocked ? now : undefined,
      hpaOf,
    });
    const held = this.bodies.get(ref);
    if (held?.version === version) return held.body;
    const body = encode(
      entityStatus(ref, reconcile, objects, cacheReady, now, hpaOf),
    );
    this.bodies.set(ref, { version, body });
    return body;
  }
}
