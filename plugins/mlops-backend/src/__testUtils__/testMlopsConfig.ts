import os from 'node:os';
import type { ClusterConfig, MlopsConfig } from '../config';

/** An MlopsConfig for tests whose entity repositories live under the OS temp directory. */
export function testMlopsConfig(
  clusters: ClusterConfig[],
  reconcile: Partial<MlopsConfig['reconcile']> = {},
): MlopsConfig {
  return {
    clusters,
    manifests: { allowedFileRoots: [os.tmpdir()] },
    reconcile: { interval: { minutes: 1 }, maxPruneShare: 0.5, ...reconcile },
  };
}
