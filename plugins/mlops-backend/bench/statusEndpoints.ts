/**
 * The three requests the status benchmarks time, each for a random one of the N entities
 * unless named, each checking that the answer is the real thing, not just a 200.
 */
import { timedFetch, type Recorder } from './loadDriver';
import type { StatusStack } from './statusStack';

const SCALED_OBJECTS = [
  { group: 'keda.sh', apiVersion: 'v1alpha1', plural: 'scaledobjects' },
];

export function statusEndpoints(stack: StatusStack, entities: number) {
  const randomEntity = () => `w${Math.floor(Math.random() * entities)}`;
  const headers = { Authorization: `Bearer ${stack.token}` };
  const base = stack.backend.baseUrl;
  return {
    randomEntity,
    status: (record: Recorder, name = randomEntity()) =>
      timedFetch(
        record,
        'status',
        `${base}/api/mlops/v1/entities/component/default/${name}/status`,
        { headers },
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
        { headers },
        body =>
          body.available
            ? undefined
            : `metrics of ${name} unavailable: ${body.reason}`,
      ),
    stock: (record: Recorder, name = randomEntity()) =>
      timedFetch(
        record,
        'stock',
        `${base}/api/kubernetes/resources/custom/query`,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            entityRef: `component:default/${name}`,
            customResources: SCALED_OBJECTS,
          }),
        },
        body => {
          const cluster = body.items?.[0];
          const found = cluster?.resources?.[0]?.resources?.length;
          return found === 1 && !cluster.errors?.length
            ? undefined
            : `stock query of ${name}: ${JSON.stringify(body).slice(0, 200)}`;
        },
      ),
  };
}
