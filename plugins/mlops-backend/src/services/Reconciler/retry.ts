import { KubeRequestError } from '../Kubernetes/ClusterClient';

/** Retries transient cluster errors (unreachable, 5xx, timeouts) with exponential backoff. */
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
