import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { RenderedFile } from '@mlops-plugins/backstage-plugin-mlops-common';

function resolveInside(root: string, relative: string, what: string): string {
  try {
    return resolveSafeChildPath(root, relative);
  } catch {
    throw new InputError(
      `${what} "${relative}" is outside the workspace; give a path relative to the workspace, such as "."`,
    );
  }
}

/**
 * Writes rendered files under `targetPath` of the workspace. Every path is checked and, unless
 * `overwrite`, every existing file refused before the first write, so a refusal writes nothing.
 */
export async function writeRenderedFiles(
  workspacePath: string,
  targetPath: string,
  files: RenderedFile[],
  overwrite: boolean,
): Promise<void> {
  const target = resolveInside(workspacePath, targetPath, 'targetPath');
  const planned = files.map(file => ({
    file,
    full: resolveInside(target, file.path, 'file'),
  }));
  if (!overwrite) {
    const existing: string[] = [];
    for (const { file, full } of planned) {
      if (
        await fs.lstat(full).then(
          () => true,
          () => false,
        )
      ) {
        existing.push(file.path);
      }
    }
    if (existing.length > 0) {
      throw new InputError(
        `refusing to overwrite ${existing.join(
          ', ',
        )} in "${targetPath}"; remove them or set overwrite: true`,
      );
    }
  }
  for (const { file, full } of planned) {
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, file.content, 'utf8');
  }
}
