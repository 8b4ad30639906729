import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import { stringify } from 'yaml';

export const ADMIN_CONTEXT = 'mlops-sandbox-admin';
export const RECONCILER_CONTEXT = 'mlops-sandbox-reconciler';

/** A kubeconfig with an admin context (current) and the reconciler's non-admin context. */
export function writeKubeconfig(
  file: string,
  options: {
    server: string;
    caFile: string;
    adminToken: string;
    reconcilerToken: string;
  },
): void {
  const cluster = 'mlops-sandbox';
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: {
          server: options.server,
          'certificate-authority': options.caFile,
        },
      },
    ],
    users: [
      { name: 'admin', user: { token: options.adminToken } },
      { name: 'mlops-reconciler', user: { token: options.reconcilerToken } },
    ],
    contexts: [
      { name: ADMIN_CONTEXT, context: { cluster, user: 'admin' } },
      {
        name: RECONCILER_CONTEXT,
        context: { cluster, user: 'mlops-reconciler' },
      },
    ],
    'current-context': ADMIN_CONTEXT,
  };
  fs.writeFileSync(file, stringify(doc), { mode: 0o600 });
}

export function loadKubeConfig(file: string, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  kc.setCurrentContext(context);
  return kc;
}
