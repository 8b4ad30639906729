import type { ControlPlaneConnection } from '@internal/mlops-sandbox';
import type { ClusterConfig } from '../config';
import { OWNER } from './owner';

/**
 * A parsed cluster config for the sandbox's control plane that authenticates as the reconciler
 * identity; each of `namespaces` is open to OWNER.
 */
export function reconcilerClusterConfig(
  plane: ControlPlaneConnection,
  options: {
    name: string;
    tokenFile: string;
    namespaces: string[];
    /** What the plugin connects to, e.g. a proxy in front of the API server; default the API server. */
    url?: string;
  },
): ClusterConfig {
  return {
    name: options.name,
    url: options.url ?? plane.server,
    caFile: plane.adminKubeConfig.getCurrentCluster()!.caFile,
    skipTLSVerify: false,
    auth: { serviceAccountTokenFile: options.tokenFile },
    namespaces: options.namespaces.map(name => ({
      name,
      owners: [OWNER],
      serviceAccount: 'backstage-mlops',
    })),
    forceConflicts: false,
  };
}
