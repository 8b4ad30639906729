import { LruMap } from '../../lib/LruMap';
import type { EntityManifests } from './readEntityManifests';

/**
 * What one entity's manifests looked like when last read, by source: a file stamp list for a
 * local directory or the UrlReader's etag for a remote one. When the stamp matches, the files
 * are neither read nor parsed again, so a pass over unchanged repos costs a directory listing.
 */
export class ManifestMemo {
  private readonly entries: LruMap<
    string,
    { stamp: string; manifests: EntityManifests }
  >;

  constructor(maxEntries = 10_000) {
    this.entries = new LruMap(maxEntries);
  }

  get(source: string, stamp: string): EntityManifests | undefined {
    const entry = this.entries.get(source);
    return entry?.stamp === stamp ? entry.manifests : undefined;
  }

  /** What was recorded for a source, whatever its stamp: for a conditional remote read. */
  remembered(
    source: string,
  ): { stamp: string; manifests: EntityManifests } | undefined {
    return this.entries.get(source);
  }

  set(source: string, stamp: string, manifests: EntityManifests) {
    this.entries.set(source, { stamp, manifests });
  }

  forget(source: string) {
    this.entries.delete(source);
  }

  get size() {
    return this.entries.size;
  }
}
