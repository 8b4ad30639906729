import type { MlopsObjectOutcome } from '@mlops-plugins/backstage-plugin-mlops-common';
import { MAX_REQUESTS_PER_ENTITY, type Applier } from './Applier';
import { byStage } from './applyOrder';
import type { DesiredObject } from './desiredState';
import { withContest } from './outcomes';
import { runWithConcurrency } from './runWithConcurrency';
import type { PassPlan } from './planPass';

/** What a pass has done so far; kept by the caller, so a failure part way still records it. */
export interface PassProgress {
  outcomes: MlopsObjectOutcome[];
  /** Objects applied, with the content they were applied with. */
  applied: DesiredObject[];
  driftCount: number;
}

export const newProgress = (): PassProgress => ({
  outcomes: [],
  applied: [],
  driftCount: 0,
});

/**
 * Applies the plan's steps stage by stage, each stage's objects at once; after a stage with a
 * failed write, records what it did and throws the first failure, so no later stage starts.
 */
export async function applySteps(
  plan: PassPlan,
  applier: Applier,
  progress: PassProgress,
): Promise<void> {
  for (const stage of byStage(plan.steps, step => step.item.key)) {
    const results = await runWithConcurrency(
      stage,
      MAX_REQUESTS_PER_ENTITY,
      async (step): Promise<PromiseSettledResult<void>> => {
        try {
          if (step.action === 'apply') await applier.apply(step.item);
          return { status: 'fulfilled', value: undefined };
        } catch (reason) {
          return { status: 'rejected', reason };
        }
      },
    );
    let failure: unknown;
    stage.forEach((step, i) => {
      const result = results[i];
      const key = step.item.key;
      const drift = step.drift.length ? { drift: step.drift } : {};
      if (step.action === 'unchanged') {
        progress.outcomes.push(
          withContest({ ...key, action: 'unchanged' }, step.contestedBy),
        );
        return;
      }
      if (step.drift.length > 0) progress.driftCount++;
      if (result.status === 'rejected') {
        failure ??= result.reason;
        progress.outcomes.push({
          ...key,
          action: 'failed',
          message: (result.reason as Error).message,
          ...drift,
        });
        return;
      }
      progress.applied.push(step.item);
      progress.outcomes.push(
        withContest(
          { ...key, action: step.exists ? 'updated' : 'created', ...drift },
          step.contestedBy,
        ),
      );
    });
    if (failure !== undefined) throw failure;
  }
  for (const kept of plan.kept) {
    progress.outcomes.push({
      ...kept.key,
      action: 'kept',
      message: kept.message,
    });
  }
}

/** Deletes the plan's leftovers that are, read again, still the entity's. */
export async function pruneLeftovers(
  plan: PassPlan,
  applier: Applier,
  progress: PassProgress,
): Promise<void> {
  for (const item of plan.prune) {
    const outcome = await applier.prune(item);
    if (outcome) progress.outcomes.push(outcome);
  }
}
