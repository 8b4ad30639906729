import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import { TtlCache } from './TtlCache';

/** The same header form Backstage's own HttpAuthService reads. */
function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string'
    ? header.match(/^Bearer[ ]+(\S+)$/i)?.[1]
    : undefined;
}

/**
 * Credentials of recently verified bearer tokens, so a viewer polling several cards pays for
 * one signature check per token and ttl, not one per request. The key is the whole token:
 * only the exact token that verified gets its credentials back, never past its own expiry.
 * A token that fails is not kept; requests without a bearer token go to httpAuth every time.
 */
export class VerifiedTokens {
  private readonly cache: TtlCache<string, BackstageCredentials>;

  constructor(
    private readonly httpAuth: HttpAuthService,
    options: { ttlMs: number; maxEntries: number; now?: () => number },
  ) {
    const now = options.now ?? Date.now;
    this.cache = new TtlCache({
      ttlMs: credentials =>
        Math.min(
          options.ttlMs,
          credentials.expiresAt
            ? credentials.expiresAt.getTime() - now()
            : options.ttlMs,
        ),
      maxEntries: options.maxEntries,
      now,
    });
  }

  /** A user or service caller, as `httpAuth.credentials(req, { allow: ['user', 'service'] })`. */
  credentials(
    req: Request,
  ): Promise<BackstageCredentials<{ type: 'user' | 'service' } & any>> {
    const verify = () =>
      this.httpAuth.credentials(req, { allow: ['user', 'service'] });
    const token = bearerToken(req);
    return token ? this.cache.get(token, verify) : verify();
  }
}
