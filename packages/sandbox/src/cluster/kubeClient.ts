import type { KubeConfig } from '@kubernetes/client-node';
import {
  KubeRequestError,
  KubernetesClient,
  resourcePath,
} from '@mlops-plugins/backstage-plugin-mlops-node';

/** A Kubernetes object as JSON; the stand-ins read and write plain objects. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
  };
  spec?: any;
  status?: any;
};

/** The verbs the agent's stand-ins share, on the node package's client; paths, not keys. */
export class KubeClient {
  private readonly client: KubernetesClient;

  constructor(kc: KubeConfig) {
    this.client = new KubernetesClient(kc);
  }

  async list(path: string): Promise<KubeObject[]> {
    return this.client.listItems(path);
  }

  async get(path: string): Promise<KubeObject | undefined> {
    return this.client.get(path);
  }

  /** Server-side apply, taking over fields from other managers. */
  async apply(
    path: string,
    object: unknown,
    fieldManager: string,
  ): Promise<KubeObject> {
    return this.client.apply(path, object, { fieldManager, force: true });
  }

  /** Server-side apply to the status subresource, owning only the fields given. */
  async applyStatus(
    path: string,
    object: { apiVersion: string; kind: string; metadata: any; status: any },
    fieldManager: string,
  ) {
    return this.apply(`${path}/status`, object, fieldManager);
  }

  /** Creates the object unless it exists. */
  async create(path: string, object: unknown, fieldManager: string) {
    try {
      await this.client.create(path, object, { fieldManager });
    } catch (error) {
      if (!(error instanceof KubeRequestError && error.kind === 'conflict')) {
        throw error;
      }
    }
  }

  async mergePatch(
    path: string,
    patch: unknown,
    fieldManager: string,
  ): Promise<KubeObject> {
    return this.client.mergePatch(path, patch, { fieldManager });
  }

  async delete(path: string) {
    await this.client.delete(path);
  }
}

/** REST path of a resource by its plural (the node package's `resourcePath`). */
export function objectPath(
  apiVersion: string,
  plural: string,
  namespace?: string,
  name?: string,
): string {
  return resourcePath({ apiVersion, plural, namespace, name });
}
