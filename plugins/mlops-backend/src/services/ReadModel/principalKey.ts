import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who a cached answer belongs to: decisions and catalog reads differ per caller, so they are
 * only shared between requests of the same principal. Undefined means "do not cache".
 */
export function principalKey(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
    actor?: { subject: string };
    accessRestrictions?: unknown;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return JSON.stringify([
      'user',
      principal.userEntityRef,
      principal.actor?.subject ?? null,
    ]);
  }
  if (principal.type === 'service' && principal.subject) {
    return JSON.stringify([
      'service',
      principal.subject,
      principal.accessRestrictions ?? null,
    ]);
  }
  return undefined;
}
