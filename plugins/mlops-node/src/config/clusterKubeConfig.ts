import { KubeConfig } from '@kubernetes/client-node';
import { loadDefaultKubeConfig } from './loadKubeConfig';
import {
  TokenFileAuthenticator,
  tokenFileUser,
} from './tokenFileAuthenticator';

/**
 * How the backend reaches one configured cluster (`mlops.clusters[]`): its URL and CA with a
 * ServiceAccount token file, or a context of the default kubeconfig.
 *
 * @public
 */
export interface MlopsClusterConnection {
  name: string;
  url: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
  auth: { serviceAccountTokenFile?: string; kubeconfigContext?: string };
}

/**
 * The KubeConfig of a configured cluster. A token file is read on every request, so a rotated
 * ServiceAccount token is picked up without a restart.
 *
 * @public
 */
export function clusterKubeConfig(cluster: MlopsClusterConnection): KubeConfig {
  if (cluster.auth.kubeconfigContext) {
    return loadDefaultKubeConfig(cluster.auth.kubeconfigContext);
  }
  const kc = new KubeConfig();
  kc.addAuthenticator(new TokenFileAuthenticator());
  const tokenFile = cluster.auth.serviceAccountTokenFile;
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [tokenFile ? tokenFileUser('mlops', tokenFile) : { name: 'mlops' }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'mlops' }],
    currentContext: cluster.name,
  });
  return kc;
}
