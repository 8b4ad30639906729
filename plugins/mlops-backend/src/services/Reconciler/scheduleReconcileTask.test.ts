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

const workload = (name: string, cluster?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'mlops/manifests': './deploy',
      ...(cluster ? { 'mlops/cluster': cluster } : {}),
    },
  },
  spec: { owner: 'group:default/team' },
});

async function scheduled(options: {
  reconcile: Reconciler['reconcile'];
  passSnapshot?: Reconciler['passSnapshot'];
  finishPass?: Reconciler['finishPass'];
  timeout?: { seconds: number };
  clusters?: string[];
  entities?: Entity[];
}) {
  type Task = SchedulerServiceTaskInvocationDefinition &
    SchedulerServiceTaskScheduleDefinition;
  const tasks: Task[] = [];
  const scheduler = {
    scheduleTask: async (t: Task) => {
      tasks.push(t);
    },
  } as unknown as SchedulerService;
  const logger = mockServices.logger.mock();
  await scheduleReconcileTask({
    scheduler,
    catalog: catalogServiceMock({
      entities: options.entities ?? ['a', 'b', 'c', 'd'].map(n => workload(n)),
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
    clusters: options.clusters ?? ['sandbox'],
    interval: { seconds: 30 },
    timeout: options.timeout,
    concurrency: 1,
  });
  return { task: tasks[0], tasks, logger };
}

describe('scheduleReconcileTask', () => {
  it('is one global task per cluster whose lock lapses after the configured timeout', async () => {
    const { task } = await scheduled({
      reconcile: async () => ({} as any),
      timeout: { seconds: 20 },
    });
    expect(task).toMatchObject({
      id: 'mlops-reconcile:sandbox',
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
        /^mlops reconcile pass over 4 entities: \{"synced":2,"skipped":2\} in \d+ ms \(cluster sandbox\)$/,
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

  it("gives each cluster's task only that cluster's entities; unknown clusters go to the first", async () => {
    const seen: Record<string, string[]> = {};
    let running = '';
    const { tasks } = await scheduled({
      clusters: ['east', 'west'],
      entities: [
        workload('a', 'east'),
        workload('b', 'west'),
        workload('c', 'nowhere'),
        workload('d'),
      ],
      reconcile: async entity => {
        (seen[running] ??= []).push(entity.metadata.name);
        return { result: 'synced' } as any;
      },
    });
    expect(tasks.map(t => t.id)).toEqual([
      'mlops-reconcile:east',
      'mlops-reconcile:west',
    ]);
    for (const [i, name] of ['east', 'west'].entries()) {
      running = name;
      await tasks[i].fn(new AbortController().signal);
    }
    expect(seen).toEqual({ east: ['a', 'c', 'd'], west: ['b'] });
  });
});
