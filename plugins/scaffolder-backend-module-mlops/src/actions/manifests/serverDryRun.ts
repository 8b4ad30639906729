import type { Config } from '@backstage/config';
import {
  failureMessage,
  groupVersionPath,
  KubernetesClient,
  loadKubeConfigFile,
  resourcePath,
} from '@mlops-plugins/backstage-plugin-mlops-node';
import {
  MLOPS_FIELD_MANAGER,
  type ManifestObject,
} from '@mlops-plugins/backstage-plugin-mlops-common';

/** Config of the cluster that validation asks for server-side dry-runs. */
export const VALIDATION_KUBECONFIG_KEY =
  'mlops.scaffolder.validation.kubeconfig';

/**
 * A client for the validation cluster from config (any user kubectl accepts: token, token
 * file, client certificate, exec plugin, auth-provider), or undefined when none is configured.
 */
export function dryRunClusterFromConfig(
  config?: Config,
): KubernetesClient | undefined {
  const file = config?.getOptionalString(VALIDATION_KUBECONFIG_KEY);
  if (!file) {
    return undefined;
  }
  return new KubernetesClient(
    loadKubeConfigFile(
      file,
      config?.getOptionalString('mlops.scaffolder.validation.context'),
    ),
  );
}

interface ServedResource {
  kind: string;
  name: string;
  namespaced: boolean;
}

/**
 * Asks an API server to validate objects with a server-side apply dry-run (dryRun=All,
 * fieldValidation=Strict): the real CRD schemas and admission judge each object, nothing is stored.
 */
export class ServerDryRunner {
  private readonly resources = new Map<string, Promise<ServedResource[]>>();

  constructor(private readonly client: KubernetesClient) {}

  /** The kinds a group version serves, from discovery, asked once per group version. */
  private served(apiVersion: string): Promise<ServedResource[]> {
    let list = this.resources.get(apiVersion);
    if (!list) {
      list = this.client
        .request('GET', groupVersionPath(apiVersion))
        .then(res => {
          if (res.status !== 200) {
            throw new Error(
              `the cluster does not serve ${apiVersion} (HTTP ${res.status}); is the CRD installed?`,
            );
          }
          return res.body.resources ?? [];
        });
      this.resources.set(apiVersion, list);
    }
    return list;
  }

  private async resourceOf(apiVersion: string, kind: string) {
    const resource = (await this.served(apiVersion)).find(
      r => r.kind === kind && !r.name.includes('/'),
    );
    if (!resource) {
      throw new Error(
        `the cluster serves no ${kind} in ${apiVersion}; is the CRD installed?`,
      );
    }
    return resource;
  }

  /** Returns the API server's reason for refusing the object, or undefined when it was accepted. */
  async check(
    object: ManifestObject,
    defaultNamespace: string,
  ): Promise<string | undefined> {
    let resource;
    try {
      resource = await this.resourceOf(object.apiVersion, object.kind);
    } catch (error) {
      return (error as Error).message;
    }
    const path = resourcePath({
      apiVersion: object.apiVersion,
      plural: resource.name,
      namespace: resource.namespaced
        ? object.metadata.namespace ?? defaultNamespace
        : undefined,
      name: object.metadata.name,
    });
    const res = await this.client.serverSideApply(path, object, {
      fieldManager: MLOPS_FIELD_MANAGER,
      dryRun: true,
      fieldValidation: 'Strict',
    });
    if (res.status >= 200 && res.status < 300) {
      return undefined;
    }
    return `refused by the cluster (HTTP ${res.status}): ${failureMessage(
      res,
    )}`;
  }
}
