import os from 'node:os';
import path from 'node:path';
import type { Config } from '@backstage/config';

/** Config key of the directory that `mlops:publish:local` places repos under. */
export const LOCAL_PUBLISH_ROOT_KEY = 'mlops.scaffolder.localPublish.root';

/**
 * The local publish root: `mlops.scaffolder.localPublish.root` (relative paths are taken from
 * the backend's working directory), by default `backstage-mlops-repos` in the OS temp dir.
 */
export function localPublishRoot(config: Config): string {
  return path.resolve(
    config.getOptionalString(LOCAL_PUBLISH_ROOT_KEY) ??
      path.join(os.tmpdir(), 'backstage-mlops-repos'),
  );
}
