import os from 'node:os';
import type { ControlPlaneConnection } from '@mlops-plugins/sandbox';
import {
  DEFAULT_PROMETHEUS_ENTITY_LABEL,
  type ClusterConfig,
  type NamespaceRule,
} from '../config';
import { compileSourcePattern } from '../services/Policy/sourcePatterns';
import { OWNER } from './owner';

/** Tests write their entity repositories under the OS temp directory. */
export const TEST_SOURCES = [compileSourcePattern(`${os.tmpdir()}/**`)];

/** A namespace rule as config would give it: open to OWNER and to repositories under the temp dir. */
export function testNamespaceRule(
  name: string,
  extra: Partial<NamespaceRule> = {},
): NamespaceRule {
  return {
    name,
    owners: [OWNER],
    serviceAccount: 'backstage-mlops',
    sources: TEST_SOURCES,
    allowedServiceTypes: [],
    deniedServiceAccounts: ['backstage-mlops'],
    adoptUnowned: false,
    ...extra,
  };
}

/**
 * A parsed cluster config for the sandbox's control plane that authenticates as the reconciler
 * identity; each of `namespaces` is open to OWNER.
 */
export function reconcilerClusterConfig(
  plane: ControlPlaneConnection,
  options: {
    name: string;
    tokenFile: string;
    namespaces: string[];
    /** What the plugin connects to, e.g. a proxy in front of the API server; default the API server. */
    url?: string;
  },
): ClusterConfig {
  return {
    name: options.name,
    url: options.url ?? plane.server,
    caFile: plane.adminKubeConfig.getCurrentCluster()!.caFile,
    skipTLSVerify: false,
    auth: { serviceAccountTokenFile: options.tokenFile },
    namespaces: options.namespaces.map(name => testNamespaceRule(name)),
    prometheusEntityLabel: DEFAULT_PROMETHEUS_ENTITY_LABEL,
    forceConflicts: false,
  };
}
