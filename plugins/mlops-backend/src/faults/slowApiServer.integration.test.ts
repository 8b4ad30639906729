import { useControlPlane } from '@mlops-plugins/sandbox';
import { eventually } from '../__testUtils__/eventually';
import { onceEach } from './__testUtils__/CountingClusterClient';
import { createFaultRig, type FaultRig } from './__testUtils__/faultRig';
import {
  startLatencyProxy,
  type LatencyProxy,
} from './__testUtils__/latencyProxy';

const LATENCY_MS = 200;
const names = (prefix: string) =>
  ['a', 'b', 'c', 'd', 'e', 'f'].map(s => `${prefix}-${s}`);

describe(`kube-apiserver behind a proxy adding ${LATENCY_MS} ms per request`, () => {
  const controlPlane = useControlPlane();
  let proxy: LatencyProxy;
  let direct: FaultRig;
  let slow: FaultRig;

  beforeAll(async () => {
    const plane = controlPlane();
    proxy = await startLatencyProxy(new URL(plane.server), LATENCY_MS);
    direct = await createFaultRig(plane, { namespace: 'fault-fast' });
    slow = await createFaultRig(plane, {
      namespace: 'fault-slow',
      url: proxy.url,
    });
    await eventually('both caches ready', () =>
      direct.cache.isReady() && slow.cache.isReady() ? true : undefined,
    );
  }, 300_000);

  afterAll(async () => {
    await slow?.stop();
    await direct?.stop();
    await proxy?.stop();
  }, 60_000);

  it('converges with one apply per object, slower but complete, and its cache follows', async () => {
    const timings: Record<string, number[]> = { direct: [], slow: [] };
    for (const value of ['v1', 'v2']) {
      for (const [label, rig, prefix] of [
        ['direct', direct, 'fast'],
        ['slow', slow, 'slow'],
      ] as const) {
        const list = names(prefix);
        list.forEach(n => rig.write(n, value));
        const from = rig.client.applies.length;
        const result = await rig.converge(list, 1);
        timings[label].push(result.ms);
        const answered = rig.client.answeredSince(from);
        expect(answered.size).toBe(list.length * 2);
        expect(Object.fromEntries(answered)).toEqual(onceEach(answered));
        expect(rig.client.applies.length - from).toBe(list.length * 2);
        await eventually(
          `${label} cache holds ${value}`,
          () =>
            list.every(n => rig.cached('ConfigMap', n)?.data?.value === value),
          30_000,
        );
      }
    }
    for (const name of names('slow')) {
      const deployment = await slow.live('deployments', name);
      expect(deployment.metadata.generation).toBe(2);
    }
    // The proxy really was in the path and really slowed it down.
    expect(proxy.stats.delayedChunks).toBeGreaterThan(0);
    expect(Math.min(...timings.slow)).toBeGreaterThan(
      Math.max(...timings.direct) + LATENCY_MS,
    );
    // A pass with nothing to do sends nothing, however slow the server.
    const settled = slow.client.applies.length;
    await slow.converge(names('slow'), 1);
    expect(slow.client.applies.length).toBe(settled);
    // eslint-disable-next-line no-console
    console.log(
      `fault slow-apiserver: pass over 6 entities (12 objects) direct ${timings.direct.join(
        '/',
      )} ms, with +${LATENCY_MS} ms per request ${timings.slow.join(
        '/',
      )} ms (create/update)`,
    );
  }, 240_000);
});
