import { KubeRequestError } from '../Kubernetes/ClusterClient';

/**
 * Retries transient cluster errors (unreachable, 5xx) with exponential backoff. A timeout is
 * not retried: the server took the request and is stuck, and each retry would wait as long.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  options: { attempts?: number; baseDelayMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  const base = options.baseDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const transient =
        error instanceof KubeRequestError && error.kind === 'transient';
      if (!transient || attempt >= attempts) throw error;
      await new Promise(r => setTimeout(r, base * 2 ** (attempt - 1)));
    }
  }
}
