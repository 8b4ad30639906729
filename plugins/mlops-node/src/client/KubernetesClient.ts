import type { KubeConfig } from '@kubernetes/client-node';
import { objectPath, type KubeObjectKey } from '../paths/apiPaths';
import { expectOk, KubeRequestError, type KubeResponse } from './errors';
import { sendKubeRequest, type KubeRequestOptions } from './sendKubeRequest';

/**
 * A REST path, or the key of an object of an allow-listed kind.
 *
 * @public
 */
export type KubeTarget = string | KubeObjectKey;

/**
 * A collection: a REST path, or an allow-listed kind in a namespace.
 *
 * @public
 */
export type KubeCollection = string | Omit<KubeObjectKey, 'name'>;

/** @public */
export interface ApplyOptions {
  fieldManager: string;
  /** Take over fields another manager owns. */
  force?: boolean;
  /** `dryRun=All`: admission and schema judge the object, nothing is stored. */
  dryRun?: boolean;
  /** `Strict` refuses unknown and duplicate fields instead of dropping them. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  asUser?: string;
}

function pathOf(target: KubeTarget | KubeCollection): string {
  return typeof target === 'string' ? target : objectPath(target);
}

function describeTarget(target: KubeTarget | KubeCollection): string {
  if (typeof target === 'string') return target.split('?')[0];
  const name = 'name' in target ? `/${target.name}` : '';
  return `${target.kind} ${target.namespace}${name}`;
}

/**
 * A small Kubernetes REST client on a KubeConfig: JSON bodies sent as they are, server-side
 * apply, impersonation and classified errors. Every verb goes through `request`, so a
 * subclass can count or fault requests there.
 *
 * @public
 */
export class KubernetesClient {
  /** Named in error messages; default the kubeconfig's current context. */
  readonly clusterName: string;

  constructor(
    readonly kubeConfig: KubeConfig,
    options: { clusterName?: string } = {},
  ) {
    this.clusterName = options.clusterName ?? kubeConfig.getCurrentContext();
  }

  /** The answer to any request, whatever its status. */
  async request(
    method: string,
    path: string,
    options: KubeRequestOptions = {},
  ): Promise<KubeResponse> {
    return sendKubeRequest(
      this.kubeConfig,
      method,
      path,
      options,
      this.clusterName,
    );
  }

  /** Server-side apply, answered whatever its status (JSON is YAML, so apply-patch takes it). */
  async serverSideApply(
    target: KubeTarget,
    object: unknown,
    options: ApplyOptions,
  ): Promise<KubeResponse> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.force) query.set('force', 'true');
    if (options.dryRun) query.set('dryRun', 'All');
    if (options.fieldValidation) {
      query.set('fieldValidation', options.fieldValidation);
    }
    return this.request('PATCH', `${pathOf(target)}?${query}`, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      asUser: options.asUser,
    });
  }

  /** The object as applied; a refusal throws a classified KubeRequestError. */
  async apply(
    target: KubeTarget,
    object: unknown,
    options: ApplyOptions,
  ): Promise<any> {
    const res = await this.serverSideApply(target, object, options);
    return expectOk(res, `apply ${describeTarget(target)}`);
  }

  /** The live object, or undefined when it does not exist. */
  async get(target: KubeTarget, asUser?: string): Promise<any | undefined> {
    const res = await this.request('GET', pathOf(target), { asUser });
    if (res.status === 404) return undefined;
    return expectOk(res, `read ${describeTarget(target)}`);
  }

  /** Creates the object; `conflict` when it exists. */
  async create(
    collection: KubeCollection,
    object: unknown,
    options: { fieldManager: string; asUser?: string },
  ): Promise<any> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    const res = await this.request('POST', `${pathOf(collection)}?${query}`, {
      body: object,
      asUser: options.asUser,
    });
    return expectOk(res, `create in ${describeTarget(collection)}`);
  }

  /** A JSON merge patch (RFC 7386). */
  async mergePatch(
    target: KubeTarget,
    patch: unknown,
    options: { fieldManager: string; asUser?: string },
  ): Promise<any> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    const res = await this.request('PATCH', `${pathOf(target)}?${query}`, {
      body: patch,
      contentType: 'application/merge-patch+json',
      asUser: options.asUser,
    });
    return expectOk(res, `patch ${describeTarget(target)}`);
  }

  /**
   * Deletes the object, with its dependents in the background. With `resourceVersion`, only
   * that exact version: a changed or re-created object answers `conflict`. Absent is done.
   */
  async delete(
    target: KubeTarget,
    options: { asUser?: string; resourceVersion?: string } = {},
  ): Promise<void> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Background',
      ...(options.resourceVersion
        ? { preconditions: { resourceVersion: options.resourceVersion } }
        : {}),
    };
    const res = await this.request('DELETE', pathOf(target), {
      body,
      asUser: options.asUser,
    });
    if (res.status === 404) return;
    expectOk(res, `delete ${describeTarget(target)}`);
  }

  /** The list object at a path (cluster-wide or namespaced), as client-node's ListWatch expects. */
  async listAll(path: string, labelSelector?: string): Promise<any> {
    const query = labelSelector
      ? `?labelSelector=${encodeURIComponent(labelSelector)}`
      : '';
    const res = await this.request('GET', `${path}${query}`);
    return expectOk(res, `list ${path}`);
  }

  /** The items of a collection; none when the API (a CRD) is not served. */
  async listItems(
    collection: KubeCollection,
    labelSelector?: string,
  ): Promise<any[]> {
    try {
      return (
        (await this.listAll(pathOf(collection), labelSelector)).items ?? []
      );
    } catch (error) {
      if (error instanceof KubeRequestError && error.kind === 'not-found') {
        return [];
      }
      throw error;
    }
  }
}
