import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { getEntitySourceLocation, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  parseManifestFile,
  readMlopsAnnotations,
  type ParsedManifests,
} from '@internal/backstage-plugin-mlops-common';

export const MANIFEST_LIMITS = {
  maxFiles: 200,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 10 * 1024 * 1024,
};

export interface EntityManifests extends ParsedManifests {
  /** Content hash of every manifest file (or the source's etag): what "revision" means here. */
  revision: string;
  /** Where they were read from, for messages. */
  source: string;
}

interface RawFile {
  path: string;
  content: Buffer;
}

const isManifestFile = (p: string) => /\.ya?ml$/i.test(p);

/** A relative directory that stays below the catalog-info.yaml's directory. */
function checkedRelativeDir(dir: string): string {
  const normalized = path.posix.normalize(dir.replace(/\\/g, '/'));
  if (
    path.posix.isAbsolute(normalized) ||
    normalized === '..' ||
    normalized.startsWith('../')
  ) {
    throw new InputError(
      `mlops/manifests "${dir}" leaves the entity's repository; give a directory relative to catalog-info.yaml, such as ./deploy`,
    );
  }
  return normalized;
}

async function readLocalTree(root: string): Promise<RawFile[]> {
  const stat = await fs.lstat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new InputError(
      `manifests directory ${root} does not exist or is not a directory`,
    );
  }
  const files: RawFile[] = [];
  let total = 0;
  const walk = async (dir: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      if (entry.isSymbolicLink()) {
        throw new InputError(
          `${relative} is a symbolic link; manifests must be plain files`,
        );
      }
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile() && isManifestFile(entry.name)) {
        const { size } = await fs.stat(full);
        if (size > MANIFEST_LIMITS.maxFileBytes) {
          throw new InputError(
            `${relative} is ${size} bytes; at most ${MANIFEST_LIMITS.maxFileBytes} per manifest file`,
          );
        }
        total += size;
        if (
          files.length >= MANIFEST_LIMITS.maxFiles ||
          total > MANIFEST_LIMITS.maxTotalBytes
        ) {
          throw new InputError(
            `the manifests directory exceeds ${MANIFEST_LIMITS.maxFiles} files or ${MANIFEST_LIMITS.maxTotalBytes} bytes`,
          );
        }
        files.push({
          path: relative.split(path.sep).join('/'),
          content: await fs.readFile(full),
        });
      }
    }
  };
  await walk(root);
  return files;
}

async function readRemoteTree(
  reader: UrlReaderService,
  url: string,
): Promise<RawFile[]> {
  const tree = await reader.readTree(url, {
    filter: (p, info) =>
      isManifestFile(p) && (info?.size ?? 0) <= MANIFEST_LIMITS.maxFileBytes,
  });
  const files = await tree.files();
  if (files.length > MANIFEST_LIMITS.maxFiles) {
    throw new InputError(
      `the manifests directory holds more than ${MANIFEST_LIMITS.maxFiles} files`,
    );
  }
  const out: RawFile[] = [];
  let total = 0;
  for (const file of files.sort((a, b) => a.path.localeCompare(b.path))) {
    const content = await file.content();
    total += content.length;
    if (
      content.length > MANIFEST_LIMITS.maxFileBytes ||
      total > MANIFEST_LIMITS.maxTotalBytes
    ) {
      throw new InputError(
        `the manifests directory exceeds ${MANIFEST_LIMITS.maxTotalBytes} bytes`,
      );
    }
    out.push({ path: file.path, content });
  }
  return out;
}

/**
 * Reads the entity's `mlops/manifests` directory relative to its catalog-info.yaml: from disk
 * for `file` locations, through the UrlReader (GitHub, GitLab, …) for `url` locations.
 */
export async function readEntityManifests(
  entity: Entity,
  reader: UrlReaderService,
): Promise<EntityManifests> {
  const annotations = readMlopsAnnotations(entity);
  if (!annotations) {
    throw new InputError('entity has no mlops/manifests annotation');
  }
  const dir = checkedRelativeDir(annotations.manifests);
  const location = getEntitySourceLocation(entity);
  let files: RawFile[];
  let source: string;
  if (location.type === 'file') {
    const base = location.target.endsWith('/')
      ? location.target
      : path.dirname(location.target);
    source = path.join(base, dir);
    files = await readLocalTree(source);
  } else if (location.type === 'url') {
    source = new URL(
      dir.endsWith('/') ? dir : `${dir}/`,
      location.target,
    ).toString();
    files = await readRemoteTree(reader, source);
  } else {
    throw new InputError(
      `entity location type "${location.type}" is not supported; use file or url`,
    );
  }
  const hash = crypto.createHash('sha256');
  const result: EntityManifests = {
    manifests: [],
    problems: [],
    revision: '',
    source,
  };
  for (const file of files) {
    hash.update(file.path).update('\0').update(file.content).update('\0');
    const parsed = parseManifestFile(file.path, file.content.toString('utf8'));
    result.manifests.push(...parsed.manifests);
    result.problems.push(...parsed.problems);
  }
  result.revision = hash.digest('hex').slice(0, 16);
  return result;
}
