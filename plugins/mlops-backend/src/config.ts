import type { Config } from '@backstage/config';

/** The parts of `mlops.clusters[]` that the plugin needs before it talks to any cluster. */
export interface ConfiguredCluster {
  name: string;
  url: string;
}

/**
 * Reads the configured clusters. A missing `mlops` block is valid (no clusters yet);
 * a duplicate cluster name is a configuration error, named with both positions.
 */
export function readConfiguredClusters(config: Config): ConfiguredCluster[] {
  const entries = config.getOptionalConfigArray('mlops.clusters') ?? [];
  const seen = new Map<string, number>();
  return entries.map((entry, index) => {
    const name = entry.getString('name');
    const previous = seen.get(name);
    if (previous !== undefined) {
      throw new Error(
        `mlops.clusters[${index}].name "${name}" is already used by mlops.clusters[${previous}]; cluster names must be unique`,
      );
    }
    seen.set(name, index);
    return { name, url: entry.getString('url') };
  });
}
