import { readDurationFromConfig, type Config } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';

export interface NamespaceRule {
  name: string;
  /** Entity refs (lower-case, `kind:namespace/name`) allowed to deploy here. */
  owners: string[];
  /** ServiceAccount that applies are impersonated as. */
  serviceAccount: string;
}

export interface ClusterConfig {
  name: string;
  url: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  auth: { serviceAccountTokenFile?: string; kubeconfigContext?: string };
  namespaces: NamespaceRule[];
  prometheusUrl?: string;
  forceConflicts: boolean;
}

export interface MlopsConfig {
  clusters: ClusterConfig[];
  reconcile: {
    interval: HumanDuration;
    maxPruneShare: number;
    /** Longest a pass may hold the replicas' lock; unset means the task's default. */
    timeout?: HumanDuration;
  };
}

export const DEFAULT_WORKLOAD_SERVICE_ACCOUNT = 'backstage-mlops';

/** `group:ml-platform` → `group:default/ml-platform`, lower-cased, as the catalog compares refs. */
export function normalizeOwnerRef(ref: string): string {
  const trimmed = ref.trim().toLowerCase();
  const [kindPart, rest] = trimmed.includes(':')
    ? trimmed.split(/:(.*)/s)
    : ['group', trimmed];
  const withNamespace = rest.includes('/') ? rest : `default/${rest}`;
  return `${kindPart}:${withNamespace}`;
}

function readCluster(c: Config, index: number): ClusterConfig {
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
    (n, i) => ({
      name: n.getString('name'),
      owners: n.getStringArray('owners').map(normalizeOwnerRef),
      serviceAccount:
        n.getOptionalString('serviceAccount') ??
        DEFAULT_WORKLOAD_SERVICE_ACCOUNT,
      index: i,
    }),
  );
  for (const ns of namespaces) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns.name)) {
      throw new Error(
        `${where}.namespaces[${ns.index}].name "${ns.name}" is not a valid namespace name (DNS-1123 label)`,
      );
    }
  }
  return {
    name: c.getString('name'),
    url: c.getString('url'),
    caData: c.getOptionalString('caData'),
    caFile: c.getOptionalString('caFile'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    auth: { serviceAccountTokenFile, kubeconfigContext },
    namespaces: namespaces.map(({ index: _i, ...n }) => n),
    prometheusUrl: c.getOptionalString('prometheus.url'),
    forceConflicts: c.getOptionalBoolean('forceConflicts') ?? false,
  };
}

/**
 * Reads and checks the `mlops` block. A missing block means no clusters; errors name the
 * config key and what it accepts.
 */
export function readMlopsConfig(config: Config): MlopsConfig {
  const clusters = (config.getOptionalConfigArray('mlops.clusters') ?? []).map(
    readCluster,
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
  return { clusters, reconcile: { interval, maxPruneShare, timeout } };
}
