import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import { principalKey } from './principalKey';
import { TtlCache } from './TtlCache';

/** Decisions on basic permissions, remembered per principal for a few seconds. */
export class CachedPermissions {
  private readonly cache: TtlCache<string, AuthorizeResult>;

  constructor(
    private readonly permissions: PermissionsService,
    options: { ttlMs: number; maxEntries: number; now?: () => number },
  ) {
    this.cache = new TtlCache({
      maxEntries: options.maxEntries,
      now: options.now,
      refreshAheadMs: options.ttlMs / 2,
      ttlMs: result =>
        result === AuthorizeResult.ALLOW || result === AuthorizeResult.DENY
          ? options.ttlMs
          : 0,
    });
  }

  async authorize(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<AuthorizeResult> {
    const load = async () => {
      const [decision] = await this.permissions.authorize([{ permission }], {
        credentials,
      });
      return decision.result;
    };
    const who = principalKey(credentials);
    if (!who) return load();
    return this.cache.get(JSON.stringify([who, permission.name]), load);
  }
}
