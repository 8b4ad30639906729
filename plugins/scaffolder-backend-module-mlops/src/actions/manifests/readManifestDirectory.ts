import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  parseManifestFile,
  type ParsedManifests,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/** Largest manifest file read; a real manifest directory is far below this. */
export const MAX_MANIFEST_FILE_BYTES = 1024 * 1024;
/** Most manifest files read from one directory. */
export const MAX_MANIFEST_FILES = 200;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Reads every YAML file under `dir` (recursively) inside `workspacePath`. Paths that leave
 * the workspace, symlinks and oversized inputs are refused with an InputError naming them.
 */
export async function readManifestDirectory(
  workspacePath: string,
  dir: string,
): Promise<ParsedManifests & { files: string[] }> {
  let root: string;
  try {
    root = resolveSafeChildPath(workspacePath, dir);
  } catch {
    throw new InputError(
      `path "${dir}" is outside the workspace; give a directory relative to the workspace, such as "deploy"`,
    );
  }
  const stat = await fs.lstat(root).catch(() => undefined);
  if (!stat || !stat.isDirectory()) {
    throw new InputError(`path "${dir}" is not a directory in the workspace`);
  }

  const files: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await fs.readdir(current, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      const relative = path.relative(workspacePath, full);
      if (entry.isSymbolicLink()) {
        throw new InputError(
          `${relative} is a symbolic link; manifests must be plain files`,
        );
      }
      if (entry.isDirectory()) {
        await walk(full);
      } else if (
        entry.isFile() &&
        MANIFEST_EXTENSIONS.has(path.extname(entry.name))
      ) {
        files.push(full);
        if (files.length > MAX_MANIFEST_FILES) {
          throw new InputError(
            `path "${dir}" holds more than ${MAX_MANIFEST_FILES} manifest files`,
          );
        }
      }
    }
  };
  await walk(root);

  const result: ParsedManifests & { files: string[] } = {
    manifests: [],
    problems: [],
    files: files.map(f => path.relative(workspacePath, f)),
  };
  for (const file of files) {
    const relative = path.relative(workspacePath, file);
    const { size } = await fs.stat(file);
    if (size > MAX_MANIFEST_FILE_BYTES) {
      result.problems.push({
        file: relative,
        message: `is ${size} bytes; manifest files may hold at most ${MAX_MANIFEST_FILE_BYTES} bytes`,
      });
      continue;
    }
    const parsed = parseManifestFile(relative, await fs.readFile(file, 'utf8'));
    result.manifests.push(...parsed.manifests);
    result.problems.push(...parsed.problems);
  }
  return result;
}
