import type { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { KubeRequestError, type KubeResponse } from './errors';
import { keepAliveAgent } from './keepAliveAgents';

/** @public */
export interface KubeRequestOptions {
  /** Sent as JSON, untouched: client-node's typed serializers drop fields they do not know. */
  body?: unknown;
  /** Default `application/json`. */
  contentType?: string;
  /** Impersonate this user (`Impersonate-User`), e.g. `system:serviceaccount:<ns>:<name>`. */
  asUser?: string;
  headers?: Record<string, string>;
  /** Default 30 s of silence from the server. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function serverOf(kc: KubeConfig): URL {
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new Error(
      `kubeconfig context "${kc.getCurrentContext()}" names no cluster; its contexts: ${
        kc
          .getContexts()
          .map(c => c.name)
          .join(', ') || 'none'
      }`,
    );
  }
  return new URL(cluster.server);
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One request to the API server of the kubeconfig's current context, with its credentials
 * (token, client certificate, exec plugin, auth-provider) applied by client-node. Any HTTP
 * status resolves; no answer rejects with a `transient` or `timeout` KubeRequestError.
 *
 * @public
 */
export async function sendKubeRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  options: KubeRequestOptions = {},
  clusterName: string = kc.getCurrentContext(),
): Promise<KubeResponse> {
  const server = serverOf(kc);
  // Keeps a path prefix of the server URL (an API server behind a proxy path).
  const url = new URL(`${server.pathname.replace(/\/+$/, '')}${path}`, server);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const payload =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  const request: https.RequestOptions = {
    method,
    timeout,
    headers: {
      Accept: 'application/json',
      'Content-Type': options.contentType ?? 'application/json',
      // Node frames a DELETE body only with a length.
      ...(payload === undefined
        ? {}
        : { 'Content-Length': Buffer.byteLength(payload) }),
      ...options.headers,
    },
  };
  try {
    await kc.applyToHTTPSOptions(request);
  } catch (error) {
    throw new Error(
      `cluster "${clusterName}": no credentials from its kubeconfig: ${
        (error as Error).message || String(error)
      }`,
    );
  }
  if (options.asUser) {
    (request.headers as Record<string, string>)['Impersonate-User'] =
      options.asUser;
  }
  const transport = url.protocol === 'http:' ? http : https;
  // A proxy keeps client-node's own agent; a direct connection is reused across requests.
  if (transport === https && !kc.getCurrentCluster()?.proxyUrl) {
    request.agent = keepAliveAgent(request);
  }
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const unreachable = (error: Error) =>
      reject(
        timedOut
          ? new KubeRequestError(
              'timeout',
              0,
              `cluster "${clusterName}" did not answer ${method} ${
                path.split('?')[0]
              } within ${timeout} ms`,
            )
          : new KubeRequestError(
              'transient',
              0,
              `cluster "${clusterName}" unreachable: ${error.message}`,
            ),
      );
    const req = transport.request(url, request, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('error', unreachable);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: parseBody(Buffer.concat(chunks).toString('utf8')),
        }),
      );
    });
    req.on('timeout', () => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    });
    req.on('error', unreachable);
    req.end(payload);
  });
}
