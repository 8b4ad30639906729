import versions from '../versions.json';

/** Versions of the control-plane components the sandbox builds and runs. */
export interface SandboxVersions {
  kubernetes: string;
  etcd: string;
}

export const SANDBOX_VERSIONS: SandboxVersions = versions;
