import type { KubeConfig, User } from '@kubernetes/client-node';
import fs from 'node:fs';

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** Not a name client-node's own authenticators answer to, so this one is asked. */
const PROVIDER = 'mlops-token-file';

/** The token in a file, read afresh on every request so a rotated token is used at once. */
export function readTokenFile(file: string): string {
  return fs.readFileSync(file, 'utf8').trim();
}

/** A kubeconfig user whose bearer token is the content of `file`. */
export function tokenFileUser(name: string, file: string): User {
  return { name, authProvider: { name: PROVIDER, config: { path: file } } };
}

/**
 * Sends the token of a `tokenFileUser`. client-node reads a kubeconfig's token file once at
 * load (and only under the non-standard key `token-file`); ServiceAccount tokens rotate.
 */
export class TokenFileAuthenticator implements Authenticator {
  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === PROVIDER;
  }

  async applyAuthentication(
    user: User,
    opts: { headers?: Record<string, any> },
  ): Promise<void> {
    const token = readTokenFile(user.authProvider.config.path);
    opts.headers ??= {};
    opts.headers.Authorization = `Bearer ${token}`;
  }
}
