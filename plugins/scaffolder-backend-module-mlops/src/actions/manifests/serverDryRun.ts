import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import type { Config } from '@backstage/config';
import {
  MLOPS_FIELD_MANAGER,
  type ManifestObject,
} from '@mlops-plugins/backstage-plugin-mlops-common';
import yaml from 'yaml';

/** Config of the cluster that validation asks for server-side dry-runs. */
export const VALIDATION_KUBECONFIG_KEY =
  'mlops.scaffolder.validation.kubeconfig';

/** An API server and the credentials to reach it, read from a kubeconfig. */
export interface DryRunCluster {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTlsVerify?: boolean;
}

function fileOrData(
  base: string,
  data: unknown,
  file: unknown,
): Buffer | undefined {
  if (typeof data === 'string') {
    return Buffer.from(data, 'base64');
  }
  if (typeof file === 'string') {
    return fs.readFileSync(path.resolve(base, file));
  }
  return undefined;
}

/** Reads the current (or given) context of a kubeconfig file: server, CA, client cert or token. */
export function loadKubeconfig(file: string, context?: string): DryRunCluster {
  const base = path.dirname(path.resolve(file));
  const doc = yaml.parse(fs.readFileSync(file, 'utf8'));
  const contextName = context ?? doc['current-context'];
  const ctx = (doc.contexts ?? []).find(
    (c: any) => c.name === contextName,
  )?.context;
  if (!ctx) {
    throw new Error(`kubeconfig ${file} has no context "${contextName}"`);
  }
  const cluster = (doc.clusters ?? []).find(
    (c: any) => c.name === ctx.cluster,
  )?.cluster;
  const user =
    (doc.users ?? []).find((u: any) => u.name === ctx.user)?.user ?? {};
  if (!cluster?.server) {
    throw new Error(
      `kubeconfig ${file}: context "${contextName}" names no cluster with a server`,
    );
  }
  return {
    server: String(cluster.server).replace(/\/+$/, ''),
    ca: fileOrData(
      base,
      cluster['certificate-authority-data'],
      cluster['certificate-authority'],
    ),
    cert: fileOrData(
      base,
      user['client-certificate-data'],
      user['client-certificate'],
    ),
    key: fileOrData(base, user['client-key-data'], user['client-key']),
    token:
      user.token ??
      (typeof user.tokenFile === 'string'
        ? fs.readFileSync(path.resolve(base, user.tokenFile), 'utf8').trim()
        : undefined),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
  };
}

/** The validation cluster from config, or undefined when none is configured. */
export function dryRunClusterFromConfig(
  config?: Config,
): DryRunCluster | undefined {
  const file = config?.getOptionalString(VALIDATION_KUBECONFIG_KEY);
  if (!file) {
    return undefined;
  }
  return loadKubeconfig(
    file,
    config?.getOptionalString('mlops.scaffolder.validation.context'),
  );
}

interface ApiResponse {
  status: number;
  body: any;
}

function request(
  cluster: DryRunCluster,
  method: string,
  urlPath: string,
  body?: string,
  contentType?: string,
): Promise<ApiResponse> {
  const url = new URL(cluster.server + urlPath);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        ca: cluster.ca,
        cert: cluster.cert,
        key: cluster.key,
        rejectUnauthorized: !cluster.insecureSkipTlsVerify,
        timeout: 30_000,
        headers: {
          Accept: 'application/json',
          ...(cluster.token
            ? { Authorization: `Bearer ${cluster.token}` }
            : {}),
          ...(contentType ? { 'Content-Type': contentType } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON; keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${url} timed out`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Asks an API server to validate objects with a server-side apply dry-run (dryRun=All,
 * fieldValidation=Strict): the real CRD schemas and admission judge each object, nothing is stored.
 */
export class ServerDryRunner {
  private readonly resources = new Map<
    string,
    Promise<Array<{ kind: string; name: string; namespaced: boolean }>>
  >();

  constructor(private readonly cluster: DryRunCluster) {}

  private async resourceOf(apiVersion: string, kind: string) {
    const listPath = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    let list = this.resources.get(listPath);
    if (!list) {
      list = request(this.cluster, 'GET', listPath).then(res => {
        if (res.status !== 200) {
          throw new Error(
            `the cluster does not serve ${apiVersion} (HTTP ${res.status}); is the CRD installed?`,
          );
        }
        return res.body.resources ?? [];
      });
      this.resources.set(listPath, list);
    }
    const resource = (await list).find(
      r => r.kind === kind && !r.name.includes('/'),
    );
    if (!resource) {
      throw new Error(
        `the cluster serves no ${kind} in ${apiVersion}; is the CRD installed?`,
      );
    }
    return { listPath, ...resource };
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
    const name = encodeURIComponent(object.metadata.name);
    const namespace = object.metadata.namespace ?? defaultNamespace;
    const objectPath = resource.namespaced
      ? `${resource.listPath}/namespaces/${encodeURIComponent(namespace)}/${
          resource.name
        }/${name}`
      : `${resource.listPath}/${resource.name}/${name}`;
    const query = `?dryRun=All&fieldManager=${MLOPS_FIELD_MANAGER}&fieldValidation=Strict`;
    const res = await request(
      this.cluster,
      'PATCH',
      objectPath + query,
      JSON.stringify(object),
      'application/apply-patch+yaml',
    );
    if (res.status >= 200 && res.status < 300) {
      return undefined;
    }
    const message =
      typeof res.body === 'object' && res.body?.message
        ? res.body.message
        : String(res.body);
    return `refused by the cluster (HTTP ${res.status}): ${message}`;
  }
}
