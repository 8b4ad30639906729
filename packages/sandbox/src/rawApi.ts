import type { KubeConfig } from '@kubernetes/client-node';
import https from 'node:https';

export interface RawResponse {
  status: number;
  body: any;
}

/**
 * One request to the API server with the kubeconfig's credentials, sending the body as
 * JSON untouched. client-node's typed serializers drop schema keywords such as
 * `x-kubernetes-int-or-string` from CRDs, which the API server then rejects.
 */
export async function rawRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const options: https.RequestOptions = {
    method,
    hostname: server.hostname,
    port: server.port,
    path,
    headers: {
      Accept: 'application/json',
      'Content-Type': contentType,
      ...headers,
    },
  };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(options, res => {
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
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Server-side apply (JSON is valid YAML, so the apply-patch content type takes it). */
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
  const query = new URLSearchParams({ fieldManager: options.fieldManager });
  if (options.force) query.set('force', 'true');
  if (options.dryRun) query.set('dryRun', 'All');
  const headers: Record<string, string> = options.asUser
    ? { 'Impersonate-User': options.asUser }
    : {};
  return rawRequest(
    kc,
    'PATCH',
    `${path}?${query}`,
    object,
    'application/apply-patch+yaml',
    headers,
  );
}
