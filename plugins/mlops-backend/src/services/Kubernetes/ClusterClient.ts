import type { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import {
  clusterKubeConfig,
  KubernetesClient,
} from '@mlops-plugins/backstage-plugin-mlops-node';
import type { ClusterConfig } from '../../config';

export {
  classifyFailure,
  KubeRequestError,
  type KubeErrorKind,
  type KubeResponse,
} from '@mlops-plugins/backstage-plugin-mlops-node';

/**
 * The Kubernetes client of one configured cluster: the node package's client on the cluster's
 * KubeConfig (its token file re-read per request), named after the cluster in errors.
 */
export class ClusterClient extends KubernetesClient {
  constructor(readonly cluster: ClusterConfig, kc?: KubeConfig) {
    super(kc ?? clusterKubeConfig(cluster), { clusterName: cluster.name });
  }

  /** The KubeConfig for client-node's Watch; an unreadable token file fails the (re)connect now. */
  watchKubeConfig(): KubeConfig {
    const tokenFile = this.cluster.auth.serviceAccountTokenFile;
    if (tokenFile) fs.accessSync(tokenFile, fs.constants.R_OK);
    return this.kubeConfig;
  }

  /** The items of an allow-listed kind in a namespace with these labels; none if not served. */
  async list(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector: string,
  ): Promise<any[]> {
    return this.listItems({ apiVersion, kind, namespace }, labelSelector);
  }
}
