import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { principalKey } from './principalKey';
import { TtlCache } from './TtlCache';
import type { VisibleWorkloads } from './VisibleWorkloads';

/**
 * Catalog entities as each principal may see them, remembered for a few seconds: first from
 * the principal's snapshot of workloads, then by ref. "Not found" is not remembered, so a
 * newly registered entity shows up at once. Callers must not mutate the entity: later requests
 * share it.
 */
export class CachedEntityLookup {
  private readonly cache: TtlCache<string, Entity | undefined>;

  constructor(
    private readonly catalog: CatalogService,
    options: { ttlMs: number; maxEntries: number; now?: () => number },
    private readonly workloads?: Pick<VisibleWorkloads, 'find'>,
  ) {
    this.cache = new TtlCache({
      maxEntries: options.maxEntries,
      now: options.now,
      ttlMs: entity => (entity ? options.ttlMs : 0),
    });
  }

  async getEntityByRef(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const workload = await this.workloads?.find(ref, credentials);
    if (workload) return workload;
    const load = () => this.catalog.getEntityByRef(ref, { credentials });
    const who = principalKey(credentials);
    if (!who) return load();
    const key = JSON.stringify([who, stringifyEntityRef(ref).toLowerCase()]);
    return this.cache.get(key, load);
  }
}
