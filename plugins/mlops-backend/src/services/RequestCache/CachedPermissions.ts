import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { principalKey } from './principalKey';
import { TtlCache } from './TtlCache';

/**
 * Decisions on the read permission, remembered per principal for a few seconds. The policy is
 * asked once per principal (`authorizeConditional`): ALLOW or DENY then hold for every entity,
 * which is what most policies answer; only a CONDITIONAL answer costs a per-entity decision,
 * remembered per principal and entity.
 */
export class CachedPermissions {
  private readonly policies: TtlCache<string, AuthorizeResult>;
  private readonly perEntity: TtlCache<string, AuthorizeResult>;

  constructor(
    private readonly permissions: PermissionsService,
    options: { ttlMs: number; maxEntries: number; now?: () => number },
  ) {
    const cacheOptions = {
      maxEntries: options.maxEntries,
      now: options.now,
      refreshAheadMs: options.ttlMs / 2,
      ttlMs: (result: AuthorizeResult) =>
        result === AuthorizeResult.ALLOW || result === AuthorizeResult.DENY
          ? options.ttlMs
          : 0,
    };
    // CONDITIONAL is an answer too: the per-entity decisions below resolve it.
    this.policies = new TtlCache({
      ...cacheOptions,
      ttlMs: () => options.ttlMs,
    });
    this.perEntity = new TtlCache(cacheOptions);
  }

  async authorize(
    permission: ResourcePermission,
    resourceRef: string,
    credentials: BackstageCredentials,
  ): Promise<AuthorizeResult> {
    const policy = async () => {
      const [decision] = await this.permissions.authorizeConditional(
        [{ permission }],
        { credentials },
      );
      return decision.result;
    };
    const entity = async () => {
      const [decision] = await this.permissions.authorize(
        [{ permission, resourceRef }],
        { credentials },
      );
      return decision.result;
    };
    const who = principalKey(credentials);
    const general = who
      ? await this.policies.get(JSON.stringify([who, permission.name]), policy)
      : await policy();
    if (general !== AuthorizeResult.CONDITIONAL) return general;
    return who
      ? this.perEntity.get(
          JSON.stringify([who, permission.name, resourceRef]),
          entity,
        )
      : entity();
  }
}
