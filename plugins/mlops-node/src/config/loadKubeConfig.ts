import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  TokenFileAuthenticator,
  tokenFileUser,
} from './tokenFileAuthenticator';

/**
 * Gives the users of these kubeconfig files that name only a `tokenFile` (kubectl's key, which
 * client-node ignores) a token read from that file on each request.
 */
function withTokenFiles(kc: KubeConfig, files: string[]): KubeConfig {
  kc.addAuthenticator(new TokenFileAuthenticator());
  for (const file of files) {
    const doc = parse(fs.readFileSync(file, 'utf8')) ?? {};
    for (const entry of doc.users ?? []) {
      const user = entry?.user ?? {};
      const onlyTokenFile =
        typeof user.tokenFile === 'string' &&
        !user.token &&
        !user.exec &&
        !user['auth-provider'];
      const index = kc.users.findIndex(u => u.name === entry?.name);
      if (!onlyTokenFile || index === -1) continue;
      kc.users[index] = {
        ...kc.users[index],
        ...tokenFileUser(
          entry.name,
          path.resolve(path.dirname(file), user.tokenFile),
        ),
      };
    }
  }
  return kc;
}

/** The files `KubeConfig.loadFromDefault` reads: `$KUBECONFIG`, else `~/.kube/config`. */
function defaultKubeconfigFiles(): string[] {
  const fromEnv = (process.env.KUBECONFIG ?? '')
    .split(path.delimiter)
    .filter(Boolean);
  if (fromEnv.length > 0) return fromEnv;
  const file = path.join(os.homedir(), '.kube', 'config');
  return fs.existsSync(file) ? [file] : [];
}

/**
 * A kubeconfig file at its current or the given context, with every kind of user kubectl
 * accepts: token, tokenFile, client certificate, exec plugin, auth-provider.
 *
 * @public
 */
export function loadKubeConfigFile(file: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  withTokenFiles(kc, [file]);
  if (context) kc.setCurrentContext(context);
  if (!kc.getCurrentCluster()) {
    throw new Error(
      `kubeconfig ${file} has no context "${kc.getCurrentContext()}" naming a cluster; its contexts: ${
        kc
          .getContexts()
          .map(c => c.name)
          .join(', ') || 'none'
      }`,
    );
  }
  return kc;
}

/**
 * The default kubeconfig (as kubectl finds it) at the given context. A context it lacks is
 * reported by the first request, so one misconfigured cluster does not stop a backend's start.
 *
 * @public
 */
export function loadDefaultKubeConfig(context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  withTokenFiles(kc, defaultKubeconfigFiles());
  kc.setCurrentContext(context);
  return kc;
}
