import type { ManifestObject } from '@mlops-plugins/backstage-plugin-mlops-common';
import { MAX_REQUESTS_PER_ENTITY, type Applier } from './Applier';
import { applySteps, newProgress } from './carryOut';
import { desiredState, type DesiredObject } from './desiredState';
import { planPass } from './planPass';

const object = (kind: string, name: string): ManifestObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  metadata: { name },
});

const desired = desiredState(
  [
    object('Deployment', 'server'),
    object('ConfigMap', 'a'),
    object('ConfigMap', 'b'),
  ].map((o, document) => ({ object: o, file: 'k8s/a.yaml', document })),
  { entityRef: 'component:default/me', namespace: 'ns' },
);

const planOf = (items: DesiredObject[]) =>
  planPass({
    entityRef: 'component:default/me',
    desired: items,
    live: () => null,
    references: [],
    otherClaimants: () => [],
    inventory: [],
    adoptUnowned: false,
    maxPruneShare: 0.5,
    confirmPrune: false,
  });

/** An applier that records the order of applies and fails the names given. */
function recordingApplier(failing: string[] = []) {
  const started: string[] = [];
  const applier = {
    apply: async (item: DesiredObject) => {
      started.push(item.key.name);
      await new Promise(r => setTimeout(r, 5));
      if (failing.includes(item.key.name)) {
        throw new Error(`${item.key.name} refused by the API server`);
      }
    },
  } as unknown as Applier;
  return { applier, started };
}

describe('applySteps', () => {
  it('applies a stage at once and the next stage only after it', async () => {
    const { applier, started } = recordingApplier();
    const progress = newProgress();
    await applySteps(planOf(desired), applier, progress);
    expect(started).toEqual(['a', 'b', 'server']);
    expect(progress.outcomes.map(o => `${o.name}:${o.action}`)).toEqual([
      'a:created',
      'b:created',
      'server:created',
    ]);
  });

  it('after a failed write, records the whole stage, keeps what was applied, and starts no later stage', async () => {
    const { applier, started } = recordingApplier(['a']);
    const progress = newProgress();
    await expect(
      applySteps(planOf(desired), applier, progress),
    ).rejects.toThrow('a refused by the API server');
    expect(started).toEqual(['a', 'b']);
    expect(progress.outcomes.map(o => `${o.name}:${o.action}`)).toEqual([
      'a:failed',
      'b:created',
    ]);
    expect(progress.applied.map(d => d.key.name)).toEqual(['b']);
  });

  it("keeps at most a few of one entity's writes in flight, however large a stage", async () => {
    const many = desiredState(
      Array.from({ length: 40 }, (_, i) => ({
        object: object('ConfigMap', `c${i}`),
        file: 'k8s/many.yaml',
        document: i,
      })),
      { entityRef: 'component:default/me', namespace: 'ns' },
    );
    let inFlight = 0;
    let most = 0;
    const applier = {
      apply: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise(r => setTimeout(r, 2));
        inFlight--;
      },
    } as unknown as Applier;
    const progress = newProgress();
    await applySteps(planOf(many), applier, progress);
    expect(progress.applied).toHaveLength(40);
    expect(most).toBe(MAX_REQUESTS_PER_ENTITY);
  });
});
