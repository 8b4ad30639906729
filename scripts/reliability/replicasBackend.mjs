// One backend replica for the replica tests: packages/backend started straight from its sources
// with Backstage's node transform (no file watcher that would restart it), in its own process
// group so a test can SIGKILL it whole, with its log in `<workDir>/<name>.log`.
import { repoRoot, startBackend } from '@mlops-plugins/test-support';

export { repoRoot };

/** Starts replica `name` with app-config.yaml + `configFiles`; resolves once /health answers. */
export const startReplica = (name, workDir, configFiles, timeoutMs) =>
  startBackend({
    name,
    workDir,
    configFiles,
    timeoutMs,
    nodeArgs: ['--enable-source-maps', '--no-node-snapshot'],
    pollMs: 1000,
  });
