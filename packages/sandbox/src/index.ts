/**
 * The local sandbox: a real kube-apiserver and etcd (built from Go modules) for development
 * and tests. Never shipped to users' clusters.
 *
 * @packageDocumentation
 */
export { SANDBOX_VERSIONS, type SandboxVersions } from './versions';
export { binaryPaths } from './paths';
export {
  startControlPlane,
  type ControlPlane,
  type ControlPlaneOptions,
} from './controlPlane';
export { rawRequest, serverSideApply, type RawResponse } from './rawApi';
export { allowWorkloadNamespace, WORKLOAD_SERVICE_ACCOUNT } from './rbac';
export { RECONCILER_USER } from './pki';
export { ADMIN_CONTEXT, RECONCILER_CONTEXT } from './kubeconfig';
export {
  useControlPlane,
  KUBECONFIG_ENV,
  type ControlPlaneConnection,
} from './testing/useControlPlane';
