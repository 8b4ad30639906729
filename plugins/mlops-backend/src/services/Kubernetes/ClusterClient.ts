import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import https from 'node:https';
import {
  ALLOWED_KINDS,
  apiGroupOf,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import type { ClusterConfig } from '../../config';
import type { ObjectKey } from '../Reconciler/desiredState';

export interface KubeResponse {
  status: number;
  body: any;
}

/** Why a request failed, in the terms the reconciler acts on. */
export type KubeErrorKind =
  | 'conflict'
  | 'invalid'
  | 'forbidden'
  | 'not-found'
  | 'transient'
  /** Connected, but no answer in time (e.g. etcd down behind the API server): not retried. */
  | 'timeout';

export class KubeRequestError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

export function classifyFailure(res: KubeResponse): KubeErrorKind {
  const message: string = res.body?.message ?? '';
  if (res.status === 409) return 'conflict';
  if (res.status === 422 || res.status === 400) return 'invalid';
  // Server-side apply reports schema type errors as a 500 from building the typed patch.
  if (
    res.status === 500 &&
    message.includes('failed to create typed patch object')
  )
    return 'invalid';
  if (res.status === 403 || res.status === 401) return 'forbidden';
  if (res.status === 404) return 'not-found';
  return 'transient';
}

/** REST path of an allow-listed object (collection path when `name` is omitted). */
export function objectPath(
  key: Omit<ObjectKey, 'name'> & { name?: string },
): string {
  const group = apiGroupOf(key.apiVersion);
  const kind = ALLOWED_KINDS.find(
    k => k.group === group && k.kind === key.kind,
  );
  if (!kind) {
    throw new Error(`${key.kind} (${key.apiVersion}) is not an allowed kind`);
  }
  const prefix =
    group === '' ? `/api/${key.apiVersion}` : `/apis/${key.apiVersion}`;
  const collection = `${prefix}/namespaces/${encodeURIComponent(
    key.namespace,
  )}/${kind.plural}`;
  return key.name
    ? `${collection}/${encodeURIComponent(key.name)}`
    : collection;
}

export function makeKubeConfig(cluster: ClusterConfig): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.auth.kubeconfigContext) {
    kc.loadFromDefault();
    kc.setCurrentContext(cluster.auth.kubeconfigContext);
    return kc;
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    // The token is read per request (below), so a rotated token file is picked up.
    users: [{ name: 'mlops', token: '' }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'mlops' }],
    currentContext: cluster.name,
  });
  return kc;
}

/**
 * A small Kubernetes REST client for one cluster: JSON bodies sent as they are (client-node's
 * typed serializers drop fields they do not know), impersonation, and classified errors.
 */
export class ClusterClient {
  private readonly kc: KubeConfig;

  constructor(readonly cluster: ClusterConfig, kc?: KubeConfig) {
    this.kc = kc ?? makeKubeConfig(cluster);
  }

  /** A KubeConfig with the current credentials, for client-node's Watch (re-made on each restart). */
  watchKubeConfig(): KubeConfig {
    const tokenFile = this.cluster.auth.serviceAccountTokenFile;
    if (!tokenFile) return this.kc;
    const kc = makeKubeConfig(this.cluster);
    kc.users[0] = {
      ...kc.users[0],
      token: fs.readFileSync(tokenFile, 'utf8').trim(),
    };
    return kc;
  }

  async request(
    method: string,
    path: string,
    options: {
      body?: unknown;
      contentType?: string;
      asUser?: string;
      timeoutMs?: number;
    } = {},
  ): Promise<KubeResponse> {
    const server = new URL(this.kc.getCurrentCluster()!.server);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': options.contentType ?? 'application/json',
    };
    if (options.asUser) headers['Impersonate-User'] = options.asUser;
    const req: https.RequestOptions = {
      method,
      hostname: server.hostname,
      port: server.port,
      path,
      headers,
      timeout: options.timeoutMs ?? 30_000,
    };
    let timedOut = false;
    await this.kc.applyToHTTPSOptions(req);
    const tokenFile = this.cluster.auth.serviceAccountTokenFile;
    if (tokenFile) {
      (req.headers as Record<string, string>).Authorization = `Bearer ${fs
        .readFileSync(tokenFile, 'utf8')
        .trim()}`;
    }
    const payload =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const r = https.request(req, res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // keep text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      r.on('timeout', () => {
        timedOut = true;
        r.destroy(new Error('timeout'));
      });
      r.on('error', error =>
        reject(
          timedOut
            ? new KubeRequestError(
                'timeout',
                0,
                `cluster "${this.cluster.name}" did not answer ${method} ${
                  path.split('?')[0]
                } within ${req.timeout} ms`,
              )
            : new KubeRequestError(
                'transient',
                0,
                `cluster "${this.cluster.name}" unreachable: ${error.message}`,
              ),
        ),
      );
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  }

  private async expectOk(res: KubeResponse, what: string): Promise<any> {
    if (res.status >= 200 && res.status < 300) return res.body;
    const kind = classifyFailure(res);
    throw new KubeRequestError(
      kind,
      res.status,
      `${what}: ${res.body?.message ?? `HTTP ${res.status}`}`,
    );
  }

  async apply(
    key: ObjectKey,
    object: unknown,
    options: {
      fieldManager: string;
      asUser: string;
      force?: boolean;
      dryRun?: boolean;
    },
  ): Promise<any> {
    const query = new URLSearchParams({ fieldManager: options.fieldManager });
    if (options.force) query.set('force', 'true');
    if (options.dryRun) query.set('dryRun', 'All');
    const res = await this.request('PATCH', `${objectPath(key)}?${query}`, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      asUser: options.asUser,
    });
    return this.expectOk(res, `apply ${key.kind} ${key.namespace}/${key.name}`);
  }

  /** The live object, or undefined when it does not exist. */
  async get(key: ObjectKey, asUser?: string): Promise<any | undefined> {
    const res = await this.request('GET', objectPath(key), { asUser });
    if (res.status === 404) return undefined;
    return this.expectOk(res, `read ${key.kind} ${key.namespace}/${key.name}`);
  }

  /** Deletes only the exact object that was read (resourceVersion precondition). */
  async delete(
    key: ObjectKey,
    options: { asUser: string; resourceVersion?: string },
  ): Promise<void> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Background',
      ...(options.resourceVersion
        ? { preconditions: { resourceVersion: options.resourceVersion } }
        : {}),
    };
    const res = await this.request('DELETE', objectPath(key), {
      body,
      asUser: options.asUser,
    });
    if (res.status === 404) return;
    await this.expectOk(res, `delete ${key.kind} ${key.namespace}/${key.name}`);
  }

  /** A cluster-wide list, as client-node's ListWatch expects it. */
  async listAll(path: string, labelSelector?: string): Promise<any> {
    const query = labelSelector
      ? `?labelSelector=${encodeURIComponent(labelSelector)}`
      : '';
    const res = await this.request('GET', `${path}${query}`);
    return this.expectOk(res, `list ${path}`);
  }

  async list(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector: string,
  ): Promise<any[]> {
    const path = `${objectPath({
      apiVersion,
      kind,
      namespace,
    })}?labelSelector=${encodeURIComponent(labelSelector)}`;
    const res = await this.request('GET', path);
    if (res.status === 404) return [];
    return (
      (await this.expectOk(res, `list ${kind} in ${namespace}`)).items ?? []
    );
  }
}
