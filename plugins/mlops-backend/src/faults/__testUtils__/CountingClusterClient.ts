import { objectId, type ObjectKey } from '../../services/Reconciler/objectId';
import { ClusterClient } from '../../services/Kubernetes/ClusterClient';

export interface ApplyRecord {
  object: string;
  ok: boolean;
}

/**
 * The real client, recording every server-side apply request it sends and whether the API
 * server answered it, so a test can tell a duplicate apply from a retry of a lost one.
 */
export class CountingClusterClient extends ClusterClient {
  readonly applies: ApplyRecord[] = [];
  /** Called before each apply request goes out, with the number sent so far. */
  beforeApply?: (sent: number) => Promise<void> | void;

  override async apply(
    key: ObjectKey,
    object: unknown,
    options: Parameters<ClusterClient['apply']>[2],
  ): Promise<any> {
    await this.beforeApply?.(this.applies.length);
    const record = { object: objectId(key), ok: false };
    this.applies.push(record);
    const result = await super.apply(key, object, options);
    record.ok = true;
    return result;
  }

  /** Applies the API server answered, per object, since index `from`. */
  answeredSince(from: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const a of this.applies.slice(from).filter(r => r.ok)) {
      counts.set(a.object, (counts.get(a.object) ?? 0) + 1);
    }
    return counts;
  }
}

/** The same objects, each counted once: what `answeredSince` should show after one change. */
export const onceEach = (answered: Map<string, number>) =>
  Object.fromEntries([...answered.keys()].map(k => [k, 1]));
