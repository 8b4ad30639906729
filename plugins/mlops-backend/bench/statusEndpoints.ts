/**
 * The three requests the status benchmarks time, each for a random one of the N entities
 * unless named, each checking that the answer is the real thing, not just a 200.
 */
import { timedFetch, type Recorder } from './loadDriver';
import type { StatusStack } from './statusStack';

/** What the stock tab finds of a bench workload: its 5 objects, by the type it lists them as. */
const STOCK_OBJECTS: Record<string, number> = {
  configmaps: 2,
  services: 1,
  deployments: 1,
  customresources: 1,
};

/** A problem with the stock answer, or undefined when every object is in it and nothing failed. */
function checkStock(name: string, body: any): string | undefined {
  const cluster = body.items?.[0];
  if (!cluster || cluster.errors?.length) {
    return `stock view of ${name}: ${JSON.stringify(body).slice(0, 200)}`;
  }
  const found: Record<string, number> = {};
  for (const response of cluster.resources ?? []) {
    found[response.type] =
      (found[response.type] ?? 0) + (response.resources?.length ?? 0);
  }
  const missing = Object.entries(STOCK_OBJECTS).filter(
    ([type, count]) => (found[type] ?? 0) !== count,
  );
  return missing.length === 0
    ? undefined
    : `stock view of ${name}: expected ${JSON.stringify(
        STOCK_OBJECTS,
      )}, got ${JSON.stringify(found)}`;
}

export function statusEndpoints(stack: StatusStack, entities: number) {
  const randomEntity = () => `w${Math.floor(Math.random() * entities)}`;
  const headersOf = (token = stack.token) => ({
    Authorization: `Bearer ${token}`,
  });
  const base = stack.backend.baseUrl;
  return {
    randomEntity,
    status: (record: Recorder, name = randomEntity(), token?: string) =>
      timedFetch(
        record,
        'status',
        `${base}/api/mlops/v1/entities/component/default/${name}/status`,
        { headers: headersOf(token) },
        body =>
          body.cacheReady && body.objects?.length === 5
            ? undefined
            : `status of ${name}: cacheReady ${body.cacheReady}, ${body.objects?.length} objects`,
      ),
    metrics: (record: Recorder, name = randomEntity()) =>
      timedFetch(
        record,
        'metrics',
        `${base}/api/mlops/v1/entities/component/default/${name}/metrics?range=15m&step=30s`,
        { headers: headersOf() },
        body =>
          body.available
            ? undefined
            : `metrics of ${name} unavailable: ${body.reason}`,
      ),
    /**
     * What the stock Kubernetes tab sends for an entity page (KubernetesBackendClient
     * .getObjectsByEntity): the catalog entity as the page holds it, and the auth decoration
     * of a serviceAccount cluster, which adds nothing.
     */
    stock: (record: Recorder, name = randomEntity(), token?: string) =>
      timedFetch(
        record,
        'stock',
        `${base}/api/kubernetes/services/${name}`,
        {
          method: 'POST',
          headers: { ...headersOf(token), 'Content-Type': 'application/json' },
          body: stack.stockBodies.get(name)!,
        },
        body => checkStock(name, body),
      ),
  };
}
