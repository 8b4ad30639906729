import type { EntityManifests } from './readEntityManifests';

/**
 * What one entity's manifests looked like when last read, by source: a file stamp list for a
 * local directory or the UrlReader's etag for a remote one. When the stamp matches, the files
 * are neither read nor parsed again, so a pass over unchanged repos costs a directory listing.
 */
export class ManifestMemo {
  private readonly entries = new Map<
    string,
    { stamp: string; manifests: EntityManifests }
  >();

  constructor(private readonly maxEntries = 10_000) {}

  get(source: string, stamp: string): EntityManifests | undefined {
    const entry = this.entries.get(source);
    if (!entry || entry.stamp !== stamp) return undefined;
    // Most recently used last, so eviction drops the longest unused.
    this.entries.delete(source);
    this.entries.set(source, entry);
    return entry.manifests;
  }

  /** The stamp recorded for a source, for a conditional remote read. */
  stampOf(source: string): string | undefined {
    return this.entries.get(source)?.stamp;
  }

  set(source: string, stamp: string, manifests: EntityManifests) {
    this.entries.delete(source);
    this.entries.set(source, { stamp, manifests });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  forget(source: string) {
    this.entries.delete(source);
  }

  get size() {
    return this.entries.size;
  }
}
