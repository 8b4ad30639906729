import { rawRequest } from '@mlops-plugins/sandbox';
import { eventually } from '../__testUtils__/eventually';
import { onceEach } from './__testUtils__/CountingClusterClient';
import { useConvergedRigOnOwnPlane } from './__testUtils__/useConvergedRig';

jest.setTimeout(300_000);

const NS = 'fault-kill';
const NAMES = ['kill-a', 'kill-b', 'kill-c', 'kill-d', 'kill-e', 'kill-f'];

/** Managers that wrote the object, with how: one `backstage-mlops` Apply entry is expected. */
const managers = (object: any) =>
  (object.metadata.managedFields ?? []).map(
    (f: any) => `${f.manager}/${f.operation}`,
  );

// A control plane of its own: this file SIGKILLs kube-apiserver.
describe('kube-apiserver killed with SIGKILL', () => {
  const setup = useConvergedRigOnOwnPlane(NS, NAMES);

  it('during a reconcile pass: errors recorded, then every entity converges with one answered apply per object', async () => {
    const { plane, rig } = setup();
    NAMES.forEach(n => rig.write(n, 'v2'));
    const from = rig.client.applies.length;
    let killing: Promise<void> | undefined;
    // The kill races the requests in flight, as a crash would.
    rig.client.beforeApply = sent => {
      if (sent === from + 5 && !killing) killing = plane.killApiServer();
    };
    const during = await rig.pass(NAMES);
    rig.client.beforeApply = undefined;
    await killing;
    const failed = [...during.values()].filter(r => r.result === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const status of failed) {
      expect(status.message).toMatch(/^cluster "faulty" unreachable: /);
      expect(status.lastSuccessAt).toBeDefined();
    }

    const restarted = Date.now();
    await plane.startApiServer();
    const restartMs = Date.now() - restarted;
    const after = await rig.converge(NAMES);
    // eslint-disable-next-line no-console
    console.log(
      `fault kill-mid-pass: ${failed.length}/${NAMES.length} entities failed; ` +
        `API server back in ${restartMs} ms; converged in ${after.passes} pass(es), ${after.ms} ms; ` +
        `${rig.client.applies.length - from} apply requests for ${
          NAMES.length * 2
        } objects`,
    );

    const answered = rig.client.answeredSince(from);
    expect(answered.size).toBe(NAMES.length * 2);
    expect(Object.fromEntries(answered)).toEqual(onceEach(answered));
    for (const name of NAMES) {
      const cm = await rig.live('configmaps', name);
      expect(cm.data.value).toBe('v2');
      expect(managers(cm)).toEqual(['backstage-mlops/Apply']);
      const deployment = await rig.live('deployments', name);
      expect(deployment.metadata.generation).toBe(2);
      expect(managers(deployment)).toEqual(['backstage-mlops/Apply']);
    }

    // Converged means converged: the next pass sends nothing.
    const settled = rig.client.applies.length;
    const again = await rig.pass(NAMES);
    expect([...again.values()].map(r => r.result)).toEqual(
      NAMES.map(() => 'synced'),
    );
    expect(rig.client.applies.length).toBe(settled);
  });

  it('during watches: changes, deletions and new objects made after the restart reach the cache', async () => {
    const { plane, rig } = setup();
    const errorsBefore = rig.cache.stats.errors;
    await plane.killApiServer();
    await eventually('watches notice the kill', () =>
      rig.cache.stats.errors > errorsBefore ? true : undefined,
    );
    await plane.startApiServer();
    const restarted = Date.now();

    const patched = await rawRequest(
      plane.adminKubeConfig,
      'PATCH',
      `/api/v1/namespaces/${NS}/configmaps/kill-a`,
      // A field the reconciler does not own: not drift, and no conflict to report.
      { data: { note: 'edited-by-hand' } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    const deleted = await rawRequest(
      plane.adminKubeConfig,
      'DELETE',
      `/api/v1/namespaces/${NS}/configmaps/kill-b`,
    );
    expect(deleted.status).toBe(200);
    rig.write('kill-new', 'v1');
    expect((await rig.reconcile(rig.entity('kill-new'))).result).toBe('synced');

    await eventually(
      'cache reflects the edit, the deletion and the new object',
      () =>
        rig.cached('ConfigMap', 'kill-a')?.data?.note === 'edited-by-hand' &&
        rig.cached('ConfigMap', 'kill-b') === null &&
        rig.cached('ConfigMap', 'kill-new')?.data?.value === 'v1',
      60_000,
    );
    const cacheMs = Date.now() - restarted;

    // The reconciler re-creates the deleted object from the cache's view, and nothing else.
    const from = rig.client.applies.length;
    const after = await rig.converge(NAMES);
    expect(after.passes).toBe(1);
    expect(Object.fromEntries(rig.client.answeredSince(from))).toEqual({
      [`/ConfigMap/${NS}/kill-b`]: 1,
    });
    await eventually(
      'cache holds the re-created object',
      () => rig.cached('ConfigMap', 'kill-b')?.data?.value === 'v2',
    );
    expect((await rig.live('configmaps', 'kill-a')).data).toEqual({
      value: 'v2',
      note: 'edited-by-hand',
    });
    // eslint-disable-next-line no-console
    console.log(
      `fault kill-during-watch: cache current ${cacheMs} ms after the API server was back; ` +
        `${rig.cache.stats.errors - errorsBefore} watch errors; repair pass ${
          after.ms
        } ms`,
    );
  });
});
