import { mockServices } from '@backstage/backend-test-utils';
import type {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { PassSnapshot, Reconciler } from './createReconciler';
import { scheduleReconcileTask } from './scheduleReconcileTask';

const workload = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { 'mlops/manifests': './deploy' } },
  spec: { owner: 'group:default/team' },
});

async function scheduled(options: {
  reconcile: Reconciler['reconcile'];
  passSnapshot?: Reconciler['passSnapshot'];
  finishPass?: Reconciler['finishPass'];
  timeout?: { seconds: number };
}) {
  type Task = SchedulerServiceTaskInvocationDefinition &
    SchedulerServiceTaskScheduleDefinition;
  let task: Task | undefined;
  const scheduler = {
    scheduleTask: async (t: Task) => {
      task = t;
    },
  } as unknown as SchedulerService;
  const logger = mockServices.logger.mock();
  await scheduleReconcileTask({
    scheduler,
    catalog: catalogServiceMock({
      entities: ['a', 'b', 'c', 'd'].map(workload),
    }),
    auth: mockServices.auth(),
    logger,
    reconciler: {
      reconcile: options.reconcile,
      passSnapshot:
        options.passSnapshot ??
        (async () => ({
          statuses: new Map(),
          inventories: new Map(),
          unsaved: [],
          claims: new Map(),
          claimants: new Set<string>(),
        })),
      finishPass: options.finishPass ?? (async () => {}),
    },
    interval: { seconds: 30 },
    timeout: options.timeout,
    concurrency: 1,
  });
  return { task: task!, logger };
}

describe('scheduleReconcileTask', () => {
  it('is one global task whose lock lapses after the configured timeout', async () => {
    const { task } = await scheduled({
      reconcile: async () => ({} as any),
      timeout: { seconds: 20 },
    });
    expect(task).toMatchObject({
      id: 'mlops-reconcile',
      scope: 'global',
      frequency: { seconds: 30 },
      timeout: { seconds: 20 },
    });
    const { task: byDefault } = await scheduled({
      reconcile: async () => ({} as any),
    });
    expect(byDefault.timeout).toEqual({ minutes: 10 });
  });

  it('starts no further entity once the pass is aborted (timed out or lock lost)', async () => {
    const controller = new AbortController();
    const reconciled: string[] = [];
    const { task, logger } = await scheduled({
      reconcile: async entity => {
        reconciled.push(entity.metadata.name);
        if (reconciled.length === 2) controller.abort();
        return { result: 'synced' } as any;
      },
    });
    await task.fn(controller.signal);
    expect(reconciled).toEqual(['a', 'b']);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^mlops reconcile pass over 4 entities: \{"synced":2,"skipped":2\} in \d+ ms$/,
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'mlops reconcile pass stopped early: 2 entities left for the next pass',
      ),
    );
  });

  it('reads one snapshot per pass and hands that same snapshot to every reconcile of the pass', async () => {
    const snapshots: PassSnapshot[] = [];
    const passSnapshot = jest.fn(async () => {
      const snapshot: PassSnapshot = {
        statuses: new Map(),
        inventories: new Map(),
        unsaved: [],
        claims: new Map(),
        claimants: new Set<string>(),
      };
      snapshots.push(snapshot);
      return snapshot;
    });
    const given: Array<PassSnapshot | undefined> = [];
    const finished: PassSnapshot[] = [];
    const { task } = await scheduled({
      passSnapshot,
      finishPass: async pass => {
        finished.push(pass);
      },
      reconcile: async (_entity, options) => {
        given.push(options?.pass);
        return { result: 'synced' } as any;
      },
    });
    await task.fn(new AbortController().signal);
    expect(passSnapshot).toHaveBeenCalledTimes(1);
    expect(given).toHaveLength(4);
    given.forEach(pass => expect(pass).toBe(snapshots[0]));

    await task.fn(new AbortController().signal);
    expect(passSnapshot).toHaveBeenCalledTimes(2);
    expect(snapshots[1]).not.toBe(snapshots[0]);
    given.slice(4).forEach(pass => expect(pass).toBe(snapshots[1]));
    expect(given).toHaveLength(8);
    // Each pass saves what it batched once its entities are done.
    expect(finished).toEqual([snapshots[0], snapshots[1]]);
  });

  it('saves the batched records even when an entity throws', async () => {
    const finishPass = jest.fn(async () => {});
    const { task } = await scheduled({
      finishPass,
      reconcile: async () => {
        throw new Error('boom');
      },
    });
    await task.fn(new AbortController().signal);
    expect(finishPass).toHaveBeenCalledTimes(1);
  });
});
