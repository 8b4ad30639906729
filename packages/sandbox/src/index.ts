/**
 * The local sandbox: a real kube-apiserver and etcd (and later the rest of a GPU cluster
 * stand-in) for development and tests. Never shipped to users' clusters.
 *
 * @packageDocumentation
 */
export { SANDBOX_VERSIONS, type SandboxVersions } from './versions';
