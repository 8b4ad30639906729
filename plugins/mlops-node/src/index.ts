/**
 * Node.js parts of the MLOps plugins: one Kubernetes client whose credentials come from
 * client-node's KubeConfig, the REST paths of Kubernetes objects, and the MLOps backend's
 * extension points.
 *
 * @packageDocumentation
 */

export * from './paths/apiPaths';
export * from './client/errors';
export * from './client/sendKubeRequest';
export * from './client/KubernetesClient';
export {
  loadKubeConfigFile,
  loadDefaultKubeConfig,
} from './config/loadKubeConfig';
export * from './config/clusterKubeConfig';
export * from './extensions/clusterSupplier';
