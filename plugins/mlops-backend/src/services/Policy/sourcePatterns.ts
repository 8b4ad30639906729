import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Repository patterns of a namespace (`mlops.clusters[].namespaces[].sources`), the way Argo
 * CD's AppProject `sourceRepos` binds a destination to the repositories that may deploy there.
 * A pattern is a URL (or an absolute path, taken as a file URL) where `*` matches within one
 * path segment (never a percent-escape, so an encoded `/` cannot smuggle a `..` past it) and
 * `**` across segments. It matches a location whose URL begins with it at a
 * segment boundary, so `https://github.com/acme/ml-*` admits every file of the repositories
 * acme/ml-… and nothing of acme/ml-x-fork's neighbours outside that prefix.
 */
export interface SourcePattern {
  pattern: string;
  regex: RegExp;
}

const escapeRegex = (v: string) => v.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A pattern as written in config → its normalised URL form, or an error naming what is wrong. */
export function compileSourcePattern(raw: string): SourcePattern {
  const pattern = raw.trim();
  if (pattern === '' || pattern === '*' || pattern === '**') {
    throw new Error(
      `"${raw}" would admit every repository; name a host and path, e.g. https://github.com/acme/ml-*`,
    );
  }
  const asUrl = path.isAbsolute(pattern)
    ? pathToFileURL(pattern).href.replace(/%2A/gi, '*')
    : pattern;
  let parsed: URL;
  try {
    // `*` is a valid URL character, so the pattern parses as the URL it stands for.
    parsed = new URL(asUrl);
  } catch {
    throw new Error(
      `"${raw}" is neither a URL nor an absolute path (e.g. https://github.com/acme/ml-* or file:///srv/repos/*)`,
    );
  }
  if (!['https:', 'http:', 'file:'].includes(parsed.protocol)) {
    throw new Error(
      `"${raw}" uses ${parsed.protocol}; use https, http or file`,
    );
  }
  if (parsed.protocol !== 'file:' && /\*/.test(parsed.host)) {
    throw new Error(
      `"${raw}" has a wildcard in its host; name the host exactly`,
    );
  }
  const normalised = parsed.href.replace(/%2A/gi, '*').replace(/\/$/, '');
  const body = normalised
    .split('**')
    .map(part => part.split('*').map(escapeRegex).join('[^/?#%]*'))
    .join('.*');
  return { pattern: normalised, regex: new RegExp(`^${body}(?=$|[/?#])`) };
}

/** The location URL normalised as patterns are (dot segments resolved, host lower-cased). */
export function normaliseSourceUrl(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** The first pattern that admits the location, if any. */
export function matchingSource(
  locationUrl: string,
  patterns: SourcePattern[],
): SourcePattern | undefined {
  const url = normaliseSourceUrl(locationUrl);
  return url === undefined ? undefined : patterns.find(p => p.regex.test(url));
}
