import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ANNOTATION_LOCATION,
  parseLocationRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ANNOTATION_MLOPS_MANIFESTS } from '@mlops-plugins/backstage-plugin-mlops-common';

/** Where an entity's manifests are read from. */
export type ManifestLocation =
  | {
      type: 'file';
      /** Directory of the entity's catalog-info.yaml. */
      base: string;
      /** The manifests directory, `base` joined with the checked relative path. */
      dir: string;
      /** The location as a URL, for the namespace's `sources` patterns. */
      sourceUrl: string;
    }
  | {
      type: 'url';
      /** The manifests directory as a URL, read through the UrlReader. */
      url: string;
      sourceUrl: string;
    };

/** Plain path segments: no scheme, drive, `:`, `%`, `?`, `#`, `\`, `..` or hidden segment. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;
const MAX_SEGMENTS = 16;

/** Why a path segment is refused, in words that do not repeat the value. */
function whyNotPlain(value: string, segment: string): string {
  if (segment === '..' || segment === '.') {
    return 'leaves or names the entity directory itself ("." or "..")';
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value))
    return 'is a URL or carries a scheme';
  if (value.startsWith('/')) return 'is an absolute path';
  return 'has a segment that is not a plain name (letters, digits, ".", "_" and "-", not starting with ".")';
}

/**
 * The `mlops/manifests` value as relative segments below catalog-info.yaml's directory, or a
 * refusal that says what is accepted. Only `./` in front and `/` at the end are tolerated.
 */
export function checkedManifestsPath(value: unknown): string {
  const refuse = (why: string) =>
    new InputError(
      `${ANNOTATION_MLOPS_MANIFESTS} ${why}; give a directory relative to catalog-info.yaml made of plain names, such as ./deploy`,
    );
  if (typeof value !== 'string' || value.trim() === '') {
    throw refuse('is empty');
  }
  const trimmed = value.replace(/^\.\//, '').replace(/\/$/, '');
  const segments = trimmed.split('/');
  if (segments.length > MAX_SEGMENTS) {
    throw refuse(`has more than ${MAX_SEGMENTS} path segments`);
  }
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) throw refuse(whyNotPlain(value, segment));
  }
  return segments.join('/');
}

/**
 * Where the catalog says the entity came from: `backstage.io/managed-by-location`, which the
 * catalog itself writes when it reads a location. Never `backstage.io/source-location` or any
 * other annotation, which the file's author may set to anything (a host directory, another repo).
 */
export function manifestLocation(entity: Entity): ManifestLocation {
  const recorded = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  if (!recorded) {
    throw new InputError(
      `entity has no ${ANNOTATION_LOCATION} annotation; only entities the catalog read from a location are reconciled`,
    );
  }
  let location;
  try {
    location = parseLocationRef(recorded);
  } catch {
    throw new InputError(`${ANNOTATION_LOCATION} is not a location reference`);
  }
  const relative = checkedManifestsPath(
    entity.metadata.annotations?.[ANNOTATION_MLOPS_MANIFESTS],
  );
  if (location.type === 'file') {
    if (!path.isAbsolute(location.target)) {
      throw new InputError(
        `${ANNOTATION_LOCATION} names a relative file path; the catalog records absolute ones`,
      );
    }
    const base = path.dirname(path.resolve(location.target));
    return {
      type: 'file',
      base,
      dir: path.join(base, ...relative.split('/')),
      sourceUrl: pathToFileURL(path.resolve(location.target)).href,
    };
  }
  if (location.type === 'url') {
    let target: URL;
    try {
      target = new URL(location.target);
    } catch {
      throw new InputError(`${ANNOTATION_LOCATION} is not a valid URL`);
    }
    if (!['https:', 'http:', 'file:'].includes(target.protocol)) {
      throw new InputError(
        `${ANNOTATION_LOCATION} uses the ${target.protocol} scheme; http(s) and file URLs are read`,
      );
    }
    return {
      type: 'url',
      url: new URL(`${relative}/`, target).toString(),
      sourceUrl: target.toString(),
    };
  }
  throw new InputError(
    `entity location type "${location.type}" is not supported; use file or url`,
  );
}
