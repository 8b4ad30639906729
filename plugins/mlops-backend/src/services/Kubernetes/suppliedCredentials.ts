import type { KubeConfig } from '@kubernetes/client-node';
import type { MlopsClusterSupplier } from '@mlops-plugins/backstage-plugin-mlops-node';

/**
 * The credentials a backend module supplies, by cluster name. Every supplied cluster must be
 * one of `mlops.clusters`: its namespaces and rules live there, and credentials for a cluster
 * without rules would be unused by mistake.
 */
export async function suppliedCredentials(
  supplier: MlopsClusterSupplier | undefined,
  configured: string[],
): Promise<Map<string, KubeConfig>> {
  const supplied = (await supplier?.getClusters()) ?? [];
  const unknown = supplied
    .map(c => c.name)
    .filter(name => !configured.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `the MLOps cluster supplier names clusters that mlops.clusters does not configure: ${unknown.join(
        ', ',
      )}; configured: ${configured.join(', ') || 'none'}`,
    );
  }
  return new Map(supplied.map(c => [c.name, c.kubeConfig]));
}
