import {
  checkManifestPolicy,
  formatManifestProblem,
  type LocatedManifest,
} from '@internal/backstage-plugin-mlops-common';
import type { ClusterConfig, NamespaceRule } from '../../config';
import { baselinePodSecurityViolations } from './podSecurity';

export interface PolicyInput {
  entityRef: string;
  /** Lower-cased owner ref of the entity, e.g. `group:default/ml-platform-team`. */
  owner: string;
  namespace: string;
  cluster: ClusterConfig;
  manifests: LocatedManifest[];
}

export type PolicyResult =
  | { allowed: true; namespaceRule: NamespaceRule }
  | { allowed: false; reasons: string[] };

/**
 * DESIGN.md's reconciler rules that need no cluster: allowed kinds, names, the entity's
 * namespace (never rewritten), the owner allowed in that namespace by config, and the
 * baseline Pod Security level. Any violation refuses the entity's whole pass.
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
  } else if (!rule.owners.includes(input.owner)) {
    reasons.push(
      `owner ${input.owner} may not deploy to namespace "${
        input.namespace
      }" on cluster "${input.cluster.name}"; allowed owners: ${
        rule.owners.join(', ') || 'none'
      }`,
    );
  }
  if (input.manifests.length === 0) {
    reasons.push('the manifests directory holds no Kubernetes objects');
  }
  reasons.push(
    ...checkManifestPolicy(input.manifests, { namespace: input.namespace }).map(
      formatManifestProblem,
    ),
  );
  for (const { file, document, object } of input.manifests) {
    for (const violation of baselinePodSecurityViolations(object)) {
      reasons.push(
        `${file}#${document}: ${object.kind} "${
          object.metadata.name
        }" breaks the baseline Pod Security level: ${violation.replace(
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
