import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import { TtlCache } from './TtlCache';

type Caller = BackstageCredentials<{ type: 'user' | 'service' } & any>;

/** Who calls a route: a user or a service; anything else is answered 401 (or 403). */
export interface Callers {
  /** The caller of a read route; its verification may be READ_STALENESS_MS old. */
  reader(req: Request): Promise<Caller>;
  /** The caller of a route that writes: verified on every request. */
  writer(req: Request): Promise<Caller>;
}

/** The same header form Backstage's own HttpAuthService reads. */
function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string'
    ? header.match(/^Bearer[ ]+(\S+)$/i)?.[1]
    : undefined;
}

/** The `exp` claim of a JWT, in ms; undefined when the token is no JWT or has none. */
function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString(),
    );
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Callers of the read routes, remembered by bearer token for staleMs.
 *
 * What this saves: the framework's httpAuth caches credentials per request only, so without
 * this every status or metrics request pays a full `auth.authenticate` (an ES256 signature check
 * of a user token, after the plugin-token probe). At 1,000 entities and 50 clients that was 0.43
 * instead of 0.26 ms of backend CPU per status request, 1,950 instead of 2,770 requests/s
 * (bench/status.bench.ts; docs/read-model.md). So the plugin lets the read routes past the
 * framework's own check and verifies here, once per token and window; a missing, forged or
 * expired token still gets the framework's own 401, since the verification below is
 * `httpAuth.credentials` itself (scripts/smoke/read-route-tokens.smoke.test.mjs sends them).
 *
 * Only the exact token string that verified gets its credentials back, never past the token's
 * own expiry (the credentials' expiresAt, or the JWT's `exp` for service tokens that carry one);
 * a failed verification is never kept, and a request without a bearer token is verified every
 * time.
 */
export class RememberedCallers implements Callers {
  private readonly verified: TtlCache<string, Caller>;
  private readonly now: () => number;

  constructor(
    private readonly httpAuth: HttpAuthService,
    options: { staleMs: number; maxEntries: number; now?: () => number },
  ) {
    this.now = options.now ?? Date.now;
    this.verified = new TtlCache<string, Caller>({
      maxEntries: options.maxEntries,
      now: options.now,
      ttlMs: (credentials, token) =>
        Math.min(
          options.staleMs,
          (credentials.expiresAt?.getTime() ?? Infinity) - this.now(),
          (jwtExpiry(token) ?? Infinity) - this.now(),
        ),
    });
  }

  reader(req: Request): Promise<Caller> {
    const token = bearerToken(req);
    return token
      ? this.verified.get(token, () => this.writer(req))
      : this.writer(req);
  }

  writer(req: Request): Promise<Caller> {
    return this.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }
}
