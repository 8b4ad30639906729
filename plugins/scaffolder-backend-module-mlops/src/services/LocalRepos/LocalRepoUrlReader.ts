import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  isChildPath,
  type UrlReaderService,
  type UrlReaderServiceReadTreeOptions,
  type UrlReaderServiceReadTreeResponse,
  type UrlReaderServiceReadUrlOptions,
  type UrlReaderServiceReadUrlResponse,
  type UrlReaderServiceSearchOptions,
  type UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadUrlResponseFactory,
  type ReadTreeResponseFactory,
} from '@backstage/backend-defaults/urlReader';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';

const MAX_TREE_FILES = 2000;

function etagOf(stats: Array<{ mtimeMs: number; size: number }>): string {
  return stats.map(s => `${Math.floor(s.mtimeMs)}-${s.size}`).join('.');
}

/**
 * Reads `file://` URLs, but only under the local publish root, so that `catalog:register` and
 * the reconciler can read repos made by `mlops:publish:local` while no other local file becomes
 * readable through the catalog. Symlinks are resolved before the root check.
 */
export class LocalRepoUrlReader implements UrlReaderService {
  constructor(
    private readonly root: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  /** True for `file:` URLs under the root (before resolving symlinks; resolve() checks again). */
  handles(url: URL): boolean {
    if (url.protocol !== 'file:') {
      return false;
    }
    try {
      return isChildPath(this.root, fileURLToPath(url));
    } catch {
      return false;
    }
  }

  private async resolve(url: string): Promise<string> {
    let file: string;
    try {
      file = fileURLToPath(new URL(url));
    } catch {
      throw new InputError(`${url} is not a file URL`);
    }
    const real = await fs.realpath(file).catch(() => {
      throw new NotFoundError(`${url} does not exist`);
    });
    const root = await fs.realpath(this.root).catch(() => this.root);
    if (!isChildPath(root, real) || real.split(path.sep).includes('.git')) {
      throw new NotAllowedError(`${url} is outside the local publish root`);
    }
    return real;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const file = await this.resolve(url);
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      throw new NotFoundError(`${url} is not a file`);
    }
    const etag = etagOf([stat]);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return ReadUrlResponseFactory.fromReadable(createReadStream(file), {
      etag,
      lastModifiedAt: stat.mtime,
    });
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const dir = await this.resolve(url);
    const files: Array<{
      full: string;
      relative: string;
      mtime: Date;
      stat: { mtimeMs: number; size: number };
    }> = [];
    const walk = async (current: string): Promise<void> => {
      const entries = await fs.readdir(current, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        const relative = path.relative(dir, full).split(path.sep).join('/');
        if (entry.name === '.git' || entry.isSymbolicLink()) {
          continue;
        }
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile()) {
          const stat = await fs.stat(full);
          if (
            options?.filter &&
            !options.filter(relative, { size: stat.size })
          ) {
            continue;
          }
          files.push({ full, relative, mtime: stat.mtime, stat });
          if (files.length > MAX_TREE_FILES) {
            throw new InputError(
              `${url} holds more than ${MAX_TREE_FILES} files`,
            );
          }
        }
      }
    };
    await walk(dir);
    const etag = etagOf(files.map(f => f.stat));
    if (options?.etag && options.etag === etag) {
      throw new NotModifiedError();
    }
    const response = await this.treeResponseFactory.fromReadableArray(
      files.map(f => ({
        data: createReadStream(f.full),
        path: f.relative,
        lastModifiedAt: f.mtime,
      })),
    );
    // The factory leaves the etag empty; set ours on the instance (its methods live on the prototype).
    Object.defineProperty(response, 'etag', { value: etag });
    return response;
  }

  /** Exact file URLs only (what the catalog asks for a registered catalog-info.yaml). */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    if (/[*?[\]{}]/.test(decodeURIComponent(new URL(url).pathname))) {
      throw new InputError(
        `${url}: glob patterns are not supported for local repos`,
      );
    }
    let file: string;
    try {
      file = await this.resolve(url);
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') {
        return { files: [], etag: '' };
      }
      throw error;
    }
    const stat = await fs.stat(file);
    const etag = etagOf([stat]);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      etag,
      files: [
        {
          url: pathToFileURL(file).href,
          content: () => fs.readFile(file),
          lastModifiedAt: stat.mtime,
        },
      ],
    };
  }

  toString() {
    return `localRepos{root=${this.root}}`;
  }
}
