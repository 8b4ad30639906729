import crypto from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  isChildPath,
  type UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  parseManifestFile,
  type ParsedManifests,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ManifestMemo } from './ManifestMemo';
import { manifestLocation } from './manifestLocation';

export const MANIFEST_LIMITS = {
  maxFiles: 200,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 10 * 1024 * 1024,
  /** YAML documents across all files: a rendered repo holds tens, never thousands. */
  maxDocuments: 500,
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

/**
 * Refuses a manifests directory that is, or passes through, a symbolic link below `base`: with
 * every component a plain directory, the path cannot lead out of the entity's directory. One
 * lstat per component (one for `./deploy`), cheaper than resolving both paths every pass.
 */
async function checkInside(base: string, root: string): Promise<void> {
  const components = path.relative(base, root).split(path.sep);
  let current = base;
  for (const [i, component] of components.entries()) {
    current = path.join(current, component);
    const isRoot = i === components.length - 1;
    const stat = await fs.lstat(current).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      throw new InputError(
        isRoot
          ? `manifests directory ${root} is a symbolic link; it must be a plain directory`
          : `manifests directory ${root} passes through a symbolic link (${current}); every directory on the way must be a plain directory`,
      );
    }
    if (!stat?.isDirectory()) {
      throw new InputError(
        `manifests directory ${root} does not exist or is not a directory`,
      );
    }
  }
}

/** Reads a regular file without following a symlink swapped in after the directory listing. */
async function readPlainFile(full: string, relative: string) {
  const handle = await fs
    .open(full, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW)
    .catch(error => {
      throw new InputError(`${relative} could not be opened: ${error.code}`);
    });
  try {
    const { size } = await handle.stat();
    if (size > MANIFEST_LIMITS.maxFileBytes) {
      throw new InputError(
        `${relative} is ${size} bytes; at most ${MANIFEST_LIMITS.maxFileBytes} per manifest file`,
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** A manifest file found by listing, with the stat fields that change when it does. */
interface ListedFile {
  full: string;
  relative: string;
  stamp: string;
  /** Last changed long enough ago that a same-tick edit cannot hide behind its stamp. */
  settled: boolean;
}

const directoryTooLarge = () =>
  new InputError(
    `the manifests directory exceeds ${MANIFEST_LIMITS.maxFiles} files or ${MANIFEST_LIMITS.maxTotalBytes} bytes`,
  );

/** A file changed this recently is read every time: a coarse clock may not show a second edit. */
const SETTLE_NS = 2_000_000_000n;

async function listLocalTree(
  base: string,
  root: string,
): Promise<ListedFile[]> {
  const settledBefore = BigInt(Date.now()) * 1_000_000n - SETTLE_NS;
  await checkInside(base, root);
  const files: ListedFile[] = [];
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
        if (files.length >= MANIFEST_LIMITS.maxFiles) throw directoryTooLarge();
        const stat = await fs.lstat(full, { bigint: true });
        files.push({
          full,
          relative: relative.split(path.sep).join('/'),
          stamp: `${relative}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`,
          settled: stat.mtimeNs < settledBefore && stat.ctimeNs < settledBefore,
        });
      }
    }
  };
  await walk(root);
  return files;
}

async function readListedFiles(listed: ListedFile[]): Promise<RawFile[]> {
  const files: RawFile[] = [];
  let total = 0;
  for (const file of listed) {
    const content = await readPlainFile(file.full, file.relative);
    total += content.length;
    if (total > MANIFEST_LIMITS.maxTotalBytes) throw directoryTooLarge();
    files.push({ path: file.relative, content });
  }
  return files;
}

async function readRemoteTree(
  reader: UrlReaderService,
  url: string,
  etag: string | undefined,
): Promise<{ files: RawFile[]; etag: string } | 'not-modified'> {
  // An oversized file is refused, not skipped: skipping it would prune its objects.
  const oversized: string[] = [];
  let tree;
  try {
    tree = await reader.readTree(url, {
      etag,
      filter: (p, info) => {
        if (!isManifestFile(p)) return false;
        if ((info?.size ?? 0) > MANIFEST_LIMITS.maxFileBytes) {
          oversized.push(`${p} (${info?.size} bytes)`);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    if (etag && (error as Error)?.name === 'NotModifiedError') {
      return 'not-modified';
    }
    throw error;
  }
  const files = await tree.files();
  if (oversized.length > 0) {
    throw new InputError(
      `${oversized.join(', ')}: at most ${
        MANIFEST_LIMITS.maxFileBytes
      } bytes per manifest file`,
    );
  }
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
    if (content.length > MANIFEST_LIMITS.maxFileBytes) {
      throw new InputError(
        `${file.path} is ${content.length} bytes; at most ${MANIFEST_LIMITS.maxFileBytes} per manifest file`,
      );
    }
    if (total > MANIFEST_LIMITS.maxTotalBytes) {
      throw new InputError(
        `the manifests directory exceeds ${MANIFEST_LIMITS.maxTotalBytes} bytes`,
      );
    }
    out.push({ path: file.path, content });
  }
  return { files: out, etag: tree.etag };
}

function parseFiles(files: RawFile[], source: string): EntityManifests {
  const hash = crypto.createHash('sha256');
  const result: EntityManifests = {
    manifests: [],
    problems: [],
    revision: '',
    source,
  };
  let documents = 0;
  for (const file of files) {
    hash.update(file.path).update('\0').update(file.content).update('\0');
    const parsed = parseManifestFile(file.path, file.content.toString('utf8'), {
      maxDocuments: MANIFEST_LIMITS.maxDocuments,
    });
    documents += parsed.manifests.length + parsed.problems.length;
    if (documents > MANIFEST_LIMITS.maxDocuments) {
      throw new InputError(
        `${file.path} brings the manifests directory to ${documents} YAML objects; at most ${MANIFEST_LIMITS.maxDocuments} per entity`,
      );
    }
    result.manifests.push(...parsed.manifests);
    result.problems.push(...parsed.problems);
  }
  result.revision = hash.digest('hex').slice(0, 16);
  return result;
}

/**
 * Refuses a `file` location outside the configured roots. Both sides are resolved, so a
 * symbolic link on the way (in the recorded path or a root) cannot move the check.
 */
async function checkUnderRoots(base: string, roots: string[]): Promise<void> {
  const real = await fs.realpath(base).catch(() => undefined);
  if (!real) {
    throw new InputError(
      "the entity's catalog-info.yaml directory does not exist",
    );
  }
  for (const root of roots) {
    const realRoot = await fs.realpath(root).catch(() => undefined);
    if (realRoot && isChildPath(realRoot, real)) return;
  }
  throw new InputError(
    `the entity's file location is outside every directory of mlops.manifests.allowedFileRoots (${roots.length} configured); file locations are read only under them`,
  );
}

export interface ReadManifestsOptions {
  /** Directories under which `file` locations may be read (mlops.manifests.allowedFileRoots). */
  allowedFileRoots: string[];
  memo?: ManifestMemo;
}

/**
 * Reads the entity's `mlops/manifests` directory relative to its catalog-info.yaml, found
 * through the location the catalog recorded for it: from disk for `file` locations under the
 * allowed roots, through the UrlReader (GitHub, GitLab, the local publish root, …) for `url`
 * locations. With a memo, an unchanged directory (same file stamps, or the source's etag) is
 * not read again; the result is shared, so callers treat it as read-only.
 */
export async function readEntityManifests(
  entity: Entity,
  reader: UrlReaderService,
  options: ReadManifestsOptions,
): Promise<EntityManifests> {
  const { memo } = options;
  const location = manifestLocation(entity);
  if (location.type === 'file') {
    const { base, dir: source } = location;
    await checkUnderRoots(base, options.allowedFileRoots);
    const listed = await listLocalTree(base, source);
    const stamp = listed.map(f => f.stamp).join('\n');
    const remembered = memo?.get(source, stamp);
    if (remembered) return remembered;
    const result = parseFiles(await readListedFiles(listed), source);
    if (listed.every(f => f.settled)) memo?.set(source, stamp, result);
    else memo?.forget(source);
    return result;
  }
  const source = location.url;
  const remembered = memo?.remembered(source);
  const read = await readRemoteTree(reader, source, remembered?.stamp);
  if (read === 'not-modified') return remembered!.manifests;
  const result = parseFiles(read.files, source);
  if (read.etag) memo?.set(source, read.etag, result);
  return result;
}
