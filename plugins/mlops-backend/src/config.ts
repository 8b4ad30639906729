import path from 'node:path';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { readDurationFromConfig, type Config } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import {
  compileSourcePattern,
  type SourcePattern,
} from './services/Policy/sourcePatterns';

export interface NamespaceRule {
  name: string;
  /** Entity refs (lower-case, `kind:namespace/name`) allowed to deploy here. */
  owners: string[];
  /** ServiceAccount that applies are impersonated as. */
  serviceAccount: string;
  /** Repositories whose entities may deploy here; an entity from elsewhere is refused. */
  sources: SourcePattern[];
  /** Service types besides ClusterIP that workloads here may create. */
  allowedServiceTypes: ExposedServiceType[];
  /** ServiceAccounts no pod may run as (the impersonated one is always among them). */
  deniedServiceAccounts: string[];
  /** Take over objects that exist without MLOps ownership instead of refusing them. */
  adoptUnowned: boolean;
}

/** Service types that expose a workload outside the cluster network, refused unless allowed. */
export const EXPOSED_SERVICE_TYPES = [
  'NodePort',
  'LoadBalancer',
  'ExternalName',
] as const;
export type ExposedServiceType = (typeof EXPOSED_SERVICE_TYPES)[number];

export interface ClusterConfig {
  name: string;
  url: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  auth: { serviceAccountTokenFile?: string; kubeconfigContext?: string };
  namespaces: NamespaceRule[];
  prometheusUrl?: string;
  /** Prometheus label that carries a pod's `mlops/entity` label value. */
  prometheusEntityLabel: string;
  forceConflicts: boolean;
}

export interface MlopsConfig {
  clusters: ClusterConfig[];
  manifests: {
    /** Absolute directories under which `file` locations are read. */
    allowedFileRoots: string[];
  };
  reconcile: {
    interval: HumanDuration;
    maxPruneShare: number;
    /** Longest a pass may hold the replicas' lock; unset means the task's default. */
    timeout?: HumanDuration;
    /** Entities one cluster's pass reconciles at once; the task's default when unset. */
    concurrency?: number;
  };
}

export const DEFAULT_WORKLOAD_SERVICE_ACCOUNT = 'backstage-mlops';
/** What a PodMonitor's `podTargetLabels: [mlops/entity]` and relabelling produce. */
export const DEFAULT_PROMETHEUS_ENTITY_LABEL = 'mlops_entity';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** `group:ml-platform` → `group:default/ml-platform`, lower-cased, as the catalog compares refs. */
export function normalizeOwnerRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  ).toLowerCase();
}

function readNamespaceRule(
  n: Config,
  where: string,
  deniedEverywhere: string[],
): NamespaceRule {
  const name = n.getString('name');
  if (!DNS1123_LABEL.test(name)) {
    throw new Error(
      `${where}.name "${name}" is not a valid namespace name (DNS-1123 label)`,
    );
  }
  const serviceAccount =
    n.getOptionalString('serviceAccount') ?? DEFAULT_WORKLOAD_SERVICE_ACCOUNT;
  if (serviceAccount === 'default') {
    // Every pod that names no ServiceAccount runs as `default`: it would hold the write rights.
    throw new Error(
      `${where}.serviceAccount must not be "default": every pod without serviceAccountName runs as it; use a dedicated ServiceAccount such as ${DEFAULT_WORKLOAD_SERVICE_ACCOUNT}`,
    );
  }
  const sources = (n.getOptionalStringArray('sources') ?? []).map((p, i) => {
    try {
      return compileSourcePattern(p);
    } catch (error) {
      throw new Error(`${where}.sources[${i}] ${(error as Error).message}`);
    }
  });
  const allowedServiceTypes = (
    n.getOptionalStringArray('allowedServiceTypes') ?? []
  ).map((t, i) => {
    if (!(EXPOSED_SERVICE_TYPES as readonly string[]).includes(t)) {
      throw new Error(
        `${where}.allowedServiceTypes[${i}] "${t}" is not one of ${EXPOSED_SERVICE_TYPES.join(
          ', ',
        )} (ClusterIP is always allowed)`,
      );
    }
    return t as ExposedServiceType;
  });
  const denied = n.getOptionalStringArray('deniedServiceAccounts') ?? [];
  for (const [i, account] of denied.entries()) {
    if (!DNS1123_SUBDOMAIN.test(account)) {
      throw new Error(
        `${where}.deniedServiceAccounts[${i}] "${account}" is not a ServiceAccount name`,
      );
    }
  }
  return {
    name,
    owners: n.getStringArray('owners').map(normalizeOwnerRef),
    serviceAccount,
    sources,
    allowedServiceTypes,
    deniedServiceAccounts: [
      ...new Set([serviceAccount, ...deniedEverywhere, ...denied]),
    ],
    adoptUnowned: n.getOptionalBoolean('adoptUnowned') ?? false,
  };
}

function readCluster(
  c: Config,
  index: number,
  deniedEverywhere: string[],
): ClusterConfig {
  const where = `mlops.clusters[${index}]`;
  const auth = c.getConfig('auth');
  const serviceAccountTokenFile = auth.getOptionalString(
    'serviceAccountTokenFile',
  );
  const kubeconfigContext = auth.getOptionalString('kubeconfigContext');
  if (Boolean(serviceAccountTokenFile) === Boolean(kubeconfigContext)) {
    throw new Error(
      `${where}.auth must set exactly one of serviceAccountTokenFile or kubeconfigContext`,
    );
  }
  const namespaces = (c.getOptionalConfigArray('namespaces') ?? []).map(
    (n, i) =>
      readNamespaceRule(n, `${where}.namespaces[${i}]`, deniedEverywhere),
  );
  const entityLabel =
    c.getOptionalString('prometheus.entityLabel') ??
    DEFAULT_PROMETHEUS_ENTITY_LABEL;
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(entityLabel)) {
    throw new Error(
      `${where}.prometheus.entityLabel "${entityLabel}" is not a Prometheus label name`,
    );
  }
  return {
    name: c.getString('name'),
    url: c.getString('url'),
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    auth: { serviceAccountTokenFile, kubeconfigContext },
    namespaces,
    prometheusUrl: c.getOptionalString('prometheus.url'),
    prometheusEntityLabel: entityLabel,
    forceConflicts: c.getOptionalBoolean('forceConflicts') ?? false,
  };
}

/**
 * Reads and checks the `mlops` block. A missing block means no clusters; errors name the
 * config key and what it accepts.
 */
export function readMlopsConfig(config: Config): MlopsConfig {
  const deniedEverywhere =
    config.getOptionalStringArray('mlops.policy.deniedServiceAccounts') ?? [];
  const clusters = (config.getOptionalConfigArray('mlops.clusters') ?? []).map(
    (c, i) => readCluster(c, i, deniedEverywhere),
  );
  const seen = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    const previous = seen.get(cluster.name);
    if (previous !== undefined) {
      throw new Error(
        `mlops.clusters[${index}].name "${cluster.name}" is already used by mlops.clusters[${previous}]; cluster names must be unique`,
      );
    }
    seen.set(cluster.name, index);
  });
  const maxPruneShare =
    config.getOptionalNumber('mlops.reconcile.maxPruneShare') ?? 0.5;
  if (!(maxPruneShare >= 0 && maxPruneShare <= 1)) {
    throw new Error(
      `mlops.reconcile.maxPruneShare must be between 0 and 1, got ${maxPruneShare}`,
    );
  }
  const interval = config.has('mlops.reconcile.interval')
    ? readDurationFromConfig(config, { key: 'mlops.reconcile.interval' })
    : { minutes: 1 };
  const timeout = config.has('mlops.reconcile.timeout')
    ? readDurationFromConfig(config, { key: 'mlops.reconcile.timeout' })
    : undefined;
  const concurrency =
    config.getOptionalNumber('mlops.reconcile.concurrency') ?? 4;
  if (
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)
  ) {
    throw new Error(
      `mlops.reconcile.concurrency must be a whole number from 1 to 64, got ${concurrency}`,
    );
  }
  return {
    clusters,
    manifests: { allowedFileRoots: readAllowedFileRoots(config) },
    reconcile: { interval, maxPruneShare, timeout, concurrency },
  };
}

/**
 * `mlops.manifests.allowedFileRoots`, or else the directories of the app-config's own `file`
 * catalog locations: the places the platform team already chose to read entities from. Paths
 * resolve against the backend's working directory, as the catalog resolves file locations.
 */
function readAllowedFileRoots(config: Config): string[] {
  const configured = config.getOptionalStringArray(
    'mlops.manifests.allowedFileRoots',
  );
  if (configured) return configured.map(root => path.resolve(root));
  const fromCatalog = (config.getOptionalConfigArray('catalog.locations') ?? [])
    .filter(l => l.getOptionalString('type') === 'file')
    .map(l => path.dirname(path.resolve(l.getString('target'))));
  return [...new Set(fromCatalog)];
}
