import type { KubeConfig } from '@kubernetes/client-node';
import {
  KubernetesClient,
  type KubeResponse,
} from '@mlops-plugins/backstage-plugin-mlops-node';

/** The answer of `rawRequest`: status and body, the body parsed when it is JSON. */
export type RawResponse = KubeResponse;

/**
 * One request with the kubeconfig's credentials, the body sent as JSON untouched (client-node's
 * typed serializers drop CRD schema keywords such as `x-kubernetes-int-or-string`). Any status
 * resolves; the node package's client does the work.
 */
export async function rawRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new KubernetesClient(kc).request(method, path, {
    body,
    contentType,
    headers,
  });
}

/** Server-side apply, answered whatever its status. */
export async function serverSideApply(
  kc: KubeConfig,
  path: string,
  object: unknown,
  options: {
    fieldManager: string;
    force?: boolean;
    dryRun?: boolean;
    /** Impersonate this user, e.g. `system:serviceaccount:<ns>:<name>`. */
    asUser?: string;
  },
): Promise<RawResponse> {
  return new KubernetesClient(kc).serverSideApply(path, object, options);
}
