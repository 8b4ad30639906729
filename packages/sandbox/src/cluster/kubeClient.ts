import type { KubeConfig } from '@kubernetes/client-node';
import { rawRequest, serverSideApply } from '../rawApi';

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

/** The small client the agent's stand-ins share: list, apply, status patches, deletes. */
export class KubeClient {
  constructor(private readonly kc: KubeConfig) {}

  async list(path: string): Promise<KubeObject[]> {
    const res = await rawRequest(this.kc, 'GET', path);
    if (res.status === 404) return [];
    if (res.status !== 200) {
      throw new Error(
        `GET ${path} failed (${res.status}): ${res.body?.message}`,
      );
    }
    return res.body.items ?? [];
  }

  async get(path: string): Promise<KubeObject | undefined> {
    const res = await rawRequest(this.kc, 'GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) {
      throw new Error(
        `GET ${path} failed (${res.status}): ${res.body?.message}`,
      );
    }
    return res.body;
  }

  async apply(path: string, object: unknown, fieldManager: string) {
    const res = await serverSideApply(this.kc, path, object, {
      fieldManager,
      force: true,
    });
    if (res.status >= 300) {
      throw new Error(
        `apply ${path} failed (${res.status}): ${res.body?.message}`,
      );
    }
    return res.body as KubeObject;
  }

  /** Server-side apply to the status subresource, owning only the fields given. */
  async applyStatus(
    path: string,
    object: { apiVersion: string; kind: string; metadata: any; status: any },
    fieldManager: string,
  ) {
    return this.apply(`${path}/status`, object, fieldManager);
  }

  async create(path: string, object: unknown, fieldManager: string) {
    const res = await rawRequest(
      this.kc,
      'POST',
      `${path}?fieldManager=${encodeURIComponent(fieldManager)}`,
      object,
    );
    if (res.status >= 300 && res.status !== 409) {
      throw new Error(
        `create in ${path} failed (${res.status}): ${res.body?.message}`,
      );
    }
  }

  async mergePatch(path: string, patch: unknown, fieldManager: string) {
    const res = await rawRequest(
      this.kc,
      'PATCH',
      `${path}?fieldManager=${encodeURIComponent(fieldManager)}`,
      patch,
      'application/merge-patch+json',
    );
    if (res.status >= 300) {
      throw new Error(
        `patch ${path} failed (${res.status}): ${res.body?.message}`,
      );
    }
    return res.body as KubeObject;
  }

  async delete(path: string) {
    await rawRequest(this.kc, 'DELETE', path);
  }
}

export function objectPath(
  apiVersion: string,
  plural: string,
  namespace?: string,
  name?: string,
): string {
  const base = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${namespace}` : '';
  return `${base}${ns}/${plural}${name ? `/${name}` : ''}`;
}
