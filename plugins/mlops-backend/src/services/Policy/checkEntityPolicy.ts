import {
  checkManifestPolicy,
  formatManifestProblem,
  kindToken,
  quoteToken,
  type LocatedManifest,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ClusterConfig, NamespaceRule } from '../../config';
import { podIdentityViolations } from './podIdentity';
import { baselinePodSecurityViolations } from './podSecurity';
import { referenceViolations } from './references';
import { serviceExposureViolations } from './serviceExposure';
import { matchingSource } from './sourcePatterns';

export interface PolicyInput {
  entityRef: string;
  /** Lower-cased owner ref of the entity, e.g. `group:default/ml-platform-team`. */
  owner: string;
  /** The location the catalog recorded for the entity, as a URL. */
  sourceUrl: string;
  namespace: string;
  cluster: ClusterConfig;
  manifests: LocatedManifest[];
}

/** Metadata that controllers set, never manifests: it would make objects unprunable or undeletable. */
const CONTROLLER_METADATA = ['ownerReferences', 'finalizers'];

export type PolicyResult =
  | { allowed: true; namespaceRule: NamespaceRule }
  | { allowed: false; reasons: string[] };

/**
 * DESIGN.md's reconciler rules that need no cluster: the repositories and owners a namespace
 * admits, allowed kinds, names, the entity's namespace (never rewritten), references that stay
 * inside the entity, pod identity, Service exposure and the baseline Pod Security level. Any
 * violation refuses the entity's whole pass.
 */
export function checkEntityPolicy(input: PolicyInput): PolicyResult {
  const reasons: string[] = [];
  const rule = input.cluster.namespaces.find(n => n.name === input.namespace);
  if (!rule) {
    reasons.push(
      `namespace "${input.namespace}" is not configured for cluster "${
        input.cluster.name
      }" (mlops.clusters[].namespaces); configured: ${
        input.cluster.namespaces.map(n => n.name).join(', ') || 'none'
      }`,
    );
  } else {
    // spec.owner is the repo author's claim; the repository it came from is the catalog's.
    if (!matchingSource(input.sourceUrl, rule.sources)) {
      reasons.push(
        `the entity's repository may not deploy to namespace "${
          input.namespace
        }" on cluster "${
          input.cluster.name
        }": its catalog location matches none of the namespace's sources (${
          rule.sources.map(s => s.pattern).join(', ') ||
          'none configured: set mlops.clusters[].namespaces[].sources'
        })`,
      );
    }
    if (!rule.owners.includes(input.owner)) {
      reasons.push(
        `owner ${input.owner} may not deploy to namespace "${
          input.namespace
        }" on cluster "${input.cluster.name}"; allowed owners: ${
          rule.owners.join(', ') || 'none'
        }`,
      );
    }
  }
  if (input.manifests.length === 0) {
    reasons.push('the manifests directory holds no Kubernetes objects');
  }
  reasons.push(
    ...checkManifestPolicy(input.manifests, { namespace: input.namespace }).map(
      formatManifestProblem,
    ),
  );
  reasons.push(...referenceViolations(input.manifests, input.namespace));
  for (const { file, document, object } of input.manifests) {
    const at = `${file}#${document}: ${kindToken(object.kind)} ${quoteToken(
      object.metadata.name,
    )}`;
    for (const field of CONTROLLER_METADATA) {
      if (object.metadata[field] !== undefined) {
        reasons.push(
          `${at} sets metadata.${field}, which only controllers may set`,
        );
      }
    }
    if (rule) {
      for (const violation of [
        ...podIdentityViolations(object, rule.deniedServiceAccounts),
        ...serviceExposureViolations(object, rule.allowedServiceTypes),
      ]) {
        reasons.push(`${at} ${violation.replace(/^\./, '')}`);
      }
    }
    for (const violation of baselinePodSecurityViolations(object)) {
      reasons.push(
        `${at} breaks the baseline Pod Security level: ${violation.replace(
          /^\./,
          '',
        )}`,
      );
    }
  }
  return reasons.length > 0 || !rule
    ? { allowed: false, reasons }
    : { allowed: true, namespaceRule: rule };
}
