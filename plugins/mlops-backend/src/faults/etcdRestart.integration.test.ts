import { rawRequest } from '@mlops-plugins/sandbox';
import { eventually } from '../__testUtils__/eventually';
import { onceEach } from './__testUtils__/CountingClusterClient';
import { useConvergedRigOnOwnPlane } from './__testUtils__/useConvergedRig';

jest.setTimeout(300_000);

const NS = 'fault-etcd';
const NAMES = ['etcd-a', 'etcd-b', 'etcd-c', 'etcd-d'];

// A control plane of its own: this file stops and restarts etcd under a running API server.
describe('etcd restarted under a running kube-apiserver', () => {
  const setup = useConvergedRigOnOwnPlane(NS, NAMES);

  it('records the outage, then the API server, the cache and every entity recover with one apply per object', async () => {
    const { plane, rig } = setup();
    await plane.stopEtcd();
    NAMES.forEach(n => rig.write(n, 'v2'));
    const from = rig.client.applies.length;
    const outageStarted = Date.now();
    const down = await rig.reconcile(rig.entity('etcd-a'));
    const downMs = Date.now() - outageStarted;
    expect(down.result).toBe('failed');
    // The API server takes the request and waits for etcd: one client timeout, no retries.
    expect(down.message).toBe(
      `cluster "faulty" did not answer PATCH /api/v1/namespaces/${NS}/configmaps/etcd-a within 30000 ms`,
    );
    expect(downMs).toBeLessThan(60_000);

    const restarted = Date.now();
    await plane.startEtcd();
    await eventually(
      'kube-apiserver ready again',
      async () =>
        (await rawRequest(plane.adminKubeConfig, 'GET', '/readyz')).status ===
        200,
      90_000,
    );
    const readyMs = Date.now() - restarted;

    const after = await rig.converge(NAMES);
    for (const name of NAMES) {
      expect((await rig.live('configmaps', name)).data.value).toBe('v2');
      expect((await rig.live('deployments', name)).metadata.generation).toBe(2);
    }
    const answered = rig.client.answeredSince(from);
    expect(answered.size).toBe(NAMES.length * 2);
    expect(Object.fromEntries(answered)).toEqual(onceEach(answered));

    // The watches still deliver: a hand edit after the restart reaches the cache.
    const patched = await rawRequest(
      plane.adminKubeConfig,
      'PATCH',
      `/api/v1/namespaces/${NS}/configmaps/etcd-b`,
      { data: { value: 'edited-by-hand' } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    await eventually(
      'cache sees the edit',
      () => rig.cached('ConfigMap', 'etcd-b')?.data?.value === 'edited-by-hand',
      60_000,
    );
    const cacheMs = Date.now() - restarted;
    // eslint-disable-next-line no-console
    console.log(
      `fault etcd-restart: reconcile during the outage failed after ${downMs} ms (${down.message}); ` +
        `API server ready ${readyMs} ms after etcd start; converged in ${after.passes} pass(es), ${after.ms} ms; ` +
        `cache current ${cacheMs} ms after etcd start; ${
          rig.client.applies.length - from
        } apply requests for ${NAMES.length * 2} objects`,
    );
  });
});
