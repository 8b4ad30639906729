// The real Backstage backend as `yarn start` runs it (packages/backend, the repo's
// app-config.yaml) on a free 127.0.0.1 port; stop() ends it and every process it started.
import { repoRoot, startBackend as start } from '@mlops-plugins/test-support';

export { repoRoot };

export const startBackend = ({ timeoutMs = 180_000 } = {}) =>
  start({ runner: 'yarn-start', timeoutMs });
