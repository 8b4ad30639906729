import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_MLOPS_MANIFESTS } from '@mlops-plugins/backstage-plugin-mlops-common';
import { principalKey } from './principalKey';
import { TtlCache } from './TtlCache';

/**
 * Every MLOps workload a principal may see, fetched in one catalog query with its credentials
 * and reused for ttlMs: a dashboard's reads of many workloads then cost one catalog round trip,
 * not one each. The catalog applies the same read permission to this query as to a lookup by
 * ref, so what is found here is what that lookup would return.
 */
export class VisibleWorkloads {
  private readonly cache: TtlCache<string, Map<string, Entity>>;

  constructor(
    private readonly catalog: CatalogService,
    options: { ttlMs: number; maxPrincipals: number; now?: () => number },
  ) {
    this.cache = new TtlCache({
      maxEntries: options.maxPrincipals,
      now: options.now,
      refreshAheadMs: options.ttlMs / 2,
      ttlMs: () => options.ttlMs,
    });
  }

  /** Undefined when not among the principal's workloads: the caller asks the catalog itself. */
  async find(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const who = principalKey(credentials);
    if (!who) return undefined;
    const byRef = await this.cache.get(who, async () => {
      const { items } = await this.catalog.getEntities(
        {
          filter: {
            [`metadata.annotations.${ANNOTATION_MLOPS_MANIFESTS}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: [
            'apiVersion',
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.annotations',
          ],
        },
        { credentials },
      );
      return new Map(items.map(e => [stringifyEntityRef(e).toLowerCase(), e]));
    });
    return byRef.get(stringifyEntityRef(ref).toLowerCase());
  }
}
