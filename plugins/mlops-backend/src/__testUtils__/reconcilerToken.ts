import type { ControlPlaneConnection } from '@mlops-plugins/sandbox';
import fs from 'node:fs';
import path from 'node:path';

/** Writes the reconciler identity's token to `<dir>/token` and returns that path. */
export function writeReconcilerToken(
  plane: ControlPlaneConnection,
  dir: string,
): string {
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(
    tokenFile,
    plane.reconcilerKubeConfig.getCurrentUser()!.token!,
  );
  return tokenFile;
}
