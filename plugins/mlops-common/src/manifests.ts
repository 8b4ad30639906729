import { parseAllDocuments } from 'yaml';
import { apiGroupOf, describeAllowedKinds, isAllowedKind } from './kinds';
import { MAX_YAML_NESTING, yamlNestingDepth } from './yamlNesting';
import { apiVersionToken, kindToken, quoteToken } from './messageTokens';
import { describeYamlConversionError, describeYamlError } from './yamlErrors';

/** A Kubernetes object as read from a manifest file. @public */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** One manifest object with where it came from. @public */
export interface LocatedManifest {
  file: string;
  /** Zero-based index of the YAML document within the file. */
  document: number;
  object: ManifestObject;
}

/** A problem found in a manifest, located as precisely as possible. @public */
export interface ManifestProblem {
  file: string;
  document?: number;
  message: string;
}

/** @public */
export interface ParsedManifests {
  manifests: LocatedManifest[];
  problems: ManifestProblem[];
}

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Most YAML documents one manifest file may hold; a rendered repo has tens. @public */
export const MAX_MANIFEST_DOCUMENTS = 500;

/** Lines that start (`---`) or end (`...`) a document; counted before parsing, which is slow. */
const DOCUMENT_MARKERS = {
  start: /^---(?=[ \t\r]|$)/gm,
  end: /^\.\.\.(?=[ \t\r]|$)/gm,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses every YAML document of one manifest file. Empty documents are skipped; anything
 * that is not a Kubernetes object with apiVersion, kind and metadata.name is a problem.
 * Alias expansion is capped by the yaml library, so a "billion laughs" file is refused, and
 * a file with more than `maxDocuments` documents is refused before it is parsed.
 * @public
 */
export function parseManifestFile(
  file: string,
  text: string,
  options: { maxDocuments?: number } = {},
): ParsedManifests {
  const manifests: LocatedManifest[] = [];
  const problems: ManifestProblem[] = [];
  const maxDocuments = options.maxDocuments ?? MAX_MANIFEST_DOCUMENTS;
  const tooMany = (found: string) => ({
    manifests,
    problems: [
      {
        file,
        message: `${found}; at most ${maxDocuments} YAML documents per file`,
      },
    ],
  });
  const markers = Math.max(
    text.match(DOCUMENT_MARKERS.start)?.length ?? 0,
    text.match(DOCUMENT_MARKERS.end)?.length ?? 0,
  );
  if (markers > maxDocuments) {
    return tooMany(`has ${markers} document markers (--- or ...)`);
  }
  const nesting = yamlNestingDepth(text);
  if (nesting > MAX_YAML_NESTING) {
    return {
      manifests,
      problems: [
        {
          file,
          message: `nests collections ${nesting} levels deep; at most ${MAX_YAML_NESTING}`,
        },
      ],
    };
  }
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents)) {
    return { manifests, problems: [{ file, message: 'is not a YAML stream' }] };
  }
  if (documents.length > maxDocuments) {
    return tooMany(`holds ${documents.length} YAML documents`);
  }
  documents.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      problems.push({
        file,
        document: index,
        message: `invalid YAML ${describeYamlError(doc.errors[0])}`,
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({
        file,
        document: index,
        message: `invalid YAML: ${describeYamlConversionError(error)}`,
      });
      return;
    }
    if (value === null || value === undefined) {
      return;
    }
    if (!isRecord(value)) {
      problems.push({
        file,
        document: index,
        message: 'document is not a mapping (expected a Kubernetes object)',
      });
      return;
    }
    const { apiVersion, kind, metadata } = value;
    if (typeof apiVersion !== 'string' || !apiVersion) {
      problems.push({
        file,
        document: index,
        message: 'apiVersion is missing (expected e.g. "apps/v1")',
      });
      return;
    }
    if (typeof kind !== 'string' || !kind) {
      problems.push({
        file,
        document: index,
        message: 'kind is missing (expected e.g. "Deployment")',
      });
      return;
    }
    if (!isRecord(metadata) || typeof metadata.name !== 'string') {
      problems.push({
        file,
        document: index,
        message: `${kindToken(kind)}: metadata.name is missing`,
      });
      return;
    }
    manifests.push({
      file,
      document: index,
      object: value as unknown as ManifestObject,
    });
  });
  return { manifests, problems };
}

/** @public */
export interface ManifestPolicyOptions {
  /** The entity's namespace; objects naming another namespace are refused, not rewritten. */
  namespace?: string;
}

/**
 * Checks manifests against the reconciler's static rules that need no cluster: allowed kinds,
 * valid names, the entity's namespace, no duplicate objects.
 * @public
 */
export function checkManifestPolicy(
  manifests: LocatedManifest[],
  options: ManifestPolicyOptions = {},
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  for (const { file, document, object } of manifests) {
    const { apiVersion, metadata } = object;
    const kind = kindToken(object.kind);
    const name = quoteToken(metadata.name);
    const where = { file, document };
    if (!isAllowedKind(apiVersion, object.kind)) {
      problems.push({
        ...where,
        message: `${kind} (${apiVersionToken(
          apiVersion,
        )}) ${name} is not an allowed kind; allowed: ${describeAllowedKinds()}`,
      });
    }
    if (metadata.name.length > 253 || !DNS1123_SUBDOMAIN.test(metadata.name)) {
      problems.push({
        ...where,
        message: `${kind} metadata.name ${name} is not a valid name (lower-case letters, digits, "-" and ".", at most 253 characters)`,
      });
    }
    const ns = metadata.namespace;
    if (
      ns !== undefined &&
      options.namespace !== undefined &&
      ns !== options.namespace
    ) {
      problems.push({
        ...where,
        message: `${kind} ${name} names namespace ${quoteToken(
          ns,
        )}, but the entity's namespace is "${options.namespace}"`,
      });
    }
    // One object whatever version a manifest names it by.
    const key = `${apiGroupOf(apiVersion)}/${object.kind}/${metadata.name}`;
    if (seen.has(key)) {
      problems.push({
        ...where,
        message: `${kind} ${name} is defined twice`,
      });
    }
    seen.add(key);
  }
  return problems;
}

/** One line per problem, as `file[#doc]: message`. @public */
export function formatManifestProblem(problem: ManifestProblem): string {
  const doc = problem.document === undefined ? '' : `#${problem.document}`;
  return `${problem.file}${doc}: ${problem.message}`;
}
