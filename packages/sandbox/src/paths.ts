import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_VERSIONS } from './versions';

/** packages/sandbox, wherever the repo is cloned. */
export const SANDBOX_PACKAGE_DIR = path.dirname(
  require.resolve('@mlops-plugins/sandbox/package.json'),
);
export const REPO_ROOT = path.resolve(SANDBOX_PACKAGE_DIR, '../..');

/** Cache of built binaries and sandbox state, outside the clone so clones share it. */
export function sandboxCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.MLOPS_SANDBOX_CACHE || path.join(xdg, 'mlops-sandbox');
}

export interface BinaryPaths {
  etcd: string;
  kubeApiserver: string;
  kubectl: string;
}

/** Where scripts/build-binaries.sh puts each binary for the pinned versions. */
export function binaryPaths(cacheDir = sandboxCacheDir()): BinaryPaths {
  const kubeDir = path.join(cacheDir, 'bin', SANDBOX_VERSIONS.kubernetes);
  return {
    etcd: path.join(cacheDir, 'bin', `etcd-${SANDBOX_VERSIONS.etcd}`, 'etcd'),
    kubeApiserver: path.join(kubeDir, 'kube-apiserver'),
    kubectl: path.join(kubeDir, 'kubectl'),
  };
}

/**
 * The CRD directory: MLOPS_SANDBOX_CRDS_DIR, else the workplace's shared/crds next to the
 * clone. Throws with both places named when neither exists.
 */
export function resolveCrdsDir(explicit?: string): string {
  const candidates = explicit
    ? [explicit]
    : [
        process.env.MLOPS_SANDBOX_CRDS_DIR,
        path.join(REPO_ROOT, '../shared/crds'),
      ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    const dir = path.resolve(candidate);
    if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
      return dir;
    }
  }
  throw new Error(
    `No CRD directory found (looked at ${candidates.join(', ')}). ` +
      'Set MLOPS_SANDBOX_CRDS_DIR to a directory of CustomResourceDefinition YAML files.',
  );
}
