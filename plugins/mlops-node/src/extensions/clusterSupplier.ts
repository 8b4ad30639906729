import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * The credentials of one cluster named in `mlops.clusters`, as a KubeConfig at the context to use.
 *
 * @public
 */
export interface MlopsSuppliedCluster {
  name: string;
  kubeConfig: KubeConfig;
}

/**
 * Supplies cluster credentials from elsewhere than the app config (a cloud provider's API, a
 * secret store). The clusters' policy (namespaces, Prometheus, conflicts) stays in config.
 *
 * @public
 */
export interface MlopsClusterSupplier {
  /** Called when the backend starts; clusters it does not name keep their configured credentials. */
  getClusters(): Promise<MlopsSuppliedCluster[]>;
}

/** @public */
export interface MlopsClusterSupplierExtensionPoint {
  /** At most one supplier; a second call throws. */
  setClusterSupplier(supplier: MlopsClusterSupplier): void;
}

/**
 * Lets a backend module supply the MLOps backend's cluster credentials.
 *
 * @public
 */
export const mlopsClusterSupplierExtensionPoint =
  createExtensionPoint<MlopsClusterSupplierExtensionPoint>({
    id: 'mlops.cluster-supplier',
  });
