import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { LruMap } from '../../lib/LruMap';

export interface EncodedBody {
  json: Buffer;
  gzip: Buffer;
  /** A weak validator of the JSON, for If-None-Match. */
  etag: string;
}

/**
 * Serialized, compressed response bodies by key, reused while the caller's version string for
 * that key stays the same: a status that has not changed since the last viewer is sent as the
 * bytes already made, without JSON.stringify, gzip or an ETag hash per request.
 */
export class EncodedBodies {
  private readonly entries: LruMap<
    string,
    { version: string; body: EncodedBody }
  >;

  constructor(maxEntries: number) {
    this.entries = new LruMap(maxEntries);
  }

  get(key: string, version: string, build: () => unknown): EncodedBody {
    const entry = this.entries.get(key);
    if (entry?.version === version) return entry.body;
    const json = Buffer.from(JSON.stringify(build()));
    const body: EncodedBody = {
      json,
      gzip: zlib.gzipSync(json),
      etag: `W/"${crypto
        .createHash('sha1')
        .update(json)
        .digest('base64url')
        .slice(0, 27)}"`,
    };
    this.entries.set(key, { version, body });
    return body;
  }

  get size() {
    return this.entries.size;
  }
}
