import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import versions from '../../versions.json';
import { SANDBOX_PACKAGE_DIR, sandboxCacheDir } from '../paths';

/** Versions of the tier-2 components built from Go modules (see versions.json). */
export const TIER2_VERSIONS = {
  kubernetes: versions.kubernetes,
  kwok: versions.kwok,
  inferenceSim: versions.inferenceSim,
  kuberay: versions.kuberay,
};

export interface Tier2Binaries {
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** KWOK's own kustomize stage folders, copied from its module by the build script. */
  kwokStageDir: string;
  inferenceSim: string;
  kuberayOperator: string;
  prometheus: string;
}

export function tier2BinaryPaths(
  cacheDir = sandboxCacheDir(),
): Omit<Tier2Binaries, 'prometheus'> {
  const bin = path.join(cacheDir, 'bin');
  const kube = path.join(bin, versions.kubernetes);
  const kwokDir = path.join(bin, `kwok-${versions.kwok}`);
  return {
    kubeControllerManager: path.join(kube, 'kube-controller-manager'),
    kubeScheduler: path.join(kube, 'kube-scheduler'),
    kwok: path.join(kwokDir, 'kwok'),
    kwokStageDir: path.join(kwokDir, 'stage'),
    inferenceSim: path.join(
      bin,
      `inference-sim-${versions.inferenceSim}`,
      'llm-d-inference-sim',
    ),
    kuberayOperator: path.join(
      bin,
      `kuberay-${versions.kuberay}`,
      'kuberay-operator',
    ),
  };
}

/** Builds (or reuses from the cache) every binary the tier-2 stack runs. */
export function buildTier2Binaries(
  options: { stdio?: 'inherit' | 'pipe' } = {},
): void {
  const script = path.join(SANDBOX_PACKAGE_DIR, 'scripts', 'build-binaries.sh');
  // Progress goes to stderr, so stdout keeps only what the caller prints.
  const result = spawnSync('bash', [script, '--all'], {
    stdio: [
      'ignore',
      options.stdio ?? process.stderr,
      options.stdio ?? 'inherit',
    ],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `building the sandbox binaries failed (bash ${script} --all)${
        result.stderr ? `:\n${result.stderr}` : ''
      }`,
    );
  }
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    const candidate = path.join(dir, command);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Debian's `prometheus` binary (MLOPS_SANDBOX_PROMETHEUS overrides). When it is missing and
 * we run as root, installs the package with apt-get; otherwise says how to get it.
 */
export function ensurePrometheus(log: (line: string) => void): string {
  const explicit = process.env.MLOPS_SANDBOX_PROMETHEUS;
  if (explicit) return explicit;
  const found = which('prometheus');
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && which('apt-get')) {
    log('prometheus: not installed; running apt-get install -y prometheus');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let result = spawnSync('apt-get', ['install', '-y', 'prometheus'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      env,
    });
    if (result.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'ignore', env });
      result = spawnSync('apt-get', ['install', '-y', 'prometheus'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        env,
      });
    }
    // The package enables a system service on 0.0.0.0:9090; the sandbox runs its own.
    spawnSync('systemctl', ['disable', '--now', 'prometheus'], {
      stdio: 'ignore',
    });
    const installed = which('prometheus');
    if (result.status === 0 && installed) return installed;
    throw new Error(
      `apt-get install -y prometheus failed: ${result.stderr ?? ''}`.trim(),
    );
  }
  throw new Error(
    "Prometheus is not installed. Install Debian's package (sudo apt-get install -y prometheus) " +
      'or set MLOPS_SANDBOX_PROMETHEUS to a prometheus binary.',
  );
}

export function requireTier2Binaries(
  log: (line: string) => void,
): Tier2Binaries {
  const paths = tier2BinaryPaths();
  for (const [name, file] of Object.entries(paths)) {
    if (!fs.existsSync(file)) {
      throw new Error(
        `${name} is not built (expected ${file}); run: bash packages/sandbox/scripts/build-binaries.sh --all`,
      );
    }
  }
  return { ...paths, prometheus: ensurePrometheus(log) };
}
